#!/usr/bin/env bash
# shellcheck disable=SC2154 # state: set by prelude.sh, which the step runs first
# The ids of the environment and its services, and what each runs now: what a rollback returns to.
known="[]" after=null
while :; do
  data=$(railway "$(jq -n --arg q "$Q_RESOLVE" --argjson after "$after" '{query: $q, variables: {after: $after}}')" '.projectToken')
  known=$(jq -c --argjson known "$known" '$known + [.project.services.edges[].node]' <<<"$data")
  [ "$(jq -r '.project.services.pageInfo.hasNextPage' <<<"$data")" = true ] || break
  after=$(jq -c '.project.services.pageInfo.endCursor' <<<"$data")
done
jq '{projectId, environmentId, services: {}}' <<<"$data" >"$state"
while IFS=$'\t' read -r name _; do
  if ! body=$(jq -e --arg q "$Q_RUNNING" --arg n "$name" --argjson known "$known" '{query: $q, variables: {input: {projectId, environmentId, serviceId: ([$known[] | select(.name == $n) | .id][0] // null | values), status: {in: ["SUCCESS"]}}}}' <<<"$data"); then
    echo "Service '$name' is not in this Railway environment; run 'pulumi up' for this stack first." >&2
    exit 1
  fi
  previous=$(railway "$body" '.deployments.edges[0].node.id // empty')
  jq --arg n "$name" --argjson body "$body" --arg prev "$previous" '.services[$n] = {id: $body.variables.input.serviceId, previous: $prev}' "$state" >"$state.new" && mv "$state.new" "$state"
  echo "$name: running ${previous:-nothing yet}"
done < <(services name)
