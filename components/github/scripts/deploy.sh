#!/usr/bin/env bash
# shellcheck disable=SC2154 # state: set by prelude.sh, which the step runs first
# Each service deploys this commit (Railway builds it from the connected repository) or the
# image digest this job built.
while IFS=$'\t' read -r name image; do
  if [ -n "$image" ]; then
    digest=$(jq -r --arg n "$name" '.[$n] // empty' <<<"${IMAGE_DIGESTS:-{\}}")
    if [ -z "$digest" ]; then
      echo "$name: the image build reported no digest" >&2
      exit 1
    fi
    body=$(jq --arg q "$Q_DEPLOY_IMAGE" --arg n "$name" --arg image "$image@$digest" '{query: $q, variables: {serviceId: .services[$n].id, environmentId, input: {source: {image: $image}}}}' "$state")
    what="$image@$digest"
  else
    body=$(jq --arg q "$Q_DEPLOY_COMMIT" --arg n "$name" --arg sha "$GITHUB_SHA" '{query: $q, variables: {serviceId: .services[$n].id, environmentId, commitSha: $sha}}' "$state")
    what="commit $GITHUB_SHA"
  fi
  deployment=$(railway "$body" '.serviceInstanceDeployV2')
  jq --arg n "$name" --arg d "$deployment" '.services[$n].deployment = $d' "$state" >"$state.new" && mv "$state.new" "$state"
  echo "$name: deploying $what as $deployment"
done < <(services image)
