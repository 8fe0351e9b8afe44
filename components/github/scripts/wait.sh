#!/usr/bin/env bash
# shellcheck disable=SC2154 # state: set by prelude.sh, which the step runs first
# Each new deployment's own status, until every one is SUCCESS; any other end fails the job.
declare -A deployments
while IFS=$'\t' read -r name deployment; do deployments[$name]=$deployment; done < <(jq -r '.services | to_entries[] | [.key, .value.deployment] | @tsv' "$state")
deadline=$((SECONDS + DEPLOY_WAIT_SECONDS))
pending="${!deployments[*]}"
while [ -n "$pending" ]; do
  waiting=""
  for name in $pending; do
    deployment=${deployments[$name]}
    status=$(railway "$(jq -n --arg q "$Q_STATUS" --arg id "$deployment" '{query: $q, variables: {id: $id}}')" '.deployment.status')
    case "$status" in
      SUCCESS) echo "$name: $deployment is live" ;;
      FAILED | CRASHED | REMOVED | REMOVING | SKIPPED)
        echo "$name: deployment $deployment ended $status" >&2
        exit 1
        ;;
      *) waiting="$waiting $name" ;;
    esac
  done
  pending="${waiting# }"
  if [ -n "$pending" ]; then
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "Not live within $DEPLOY_WAIT_SECONDS s: $pending" >&2
      exit 1
    fi
    sleep "$POLL_SECONDS"
  fi
done
