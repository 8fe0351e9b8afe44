#!/usr/bin/env bash
# Each service's health check, on its public URL, now served by the new deployment.
# Fields that may be empty come last: read joins runs of tabs.
while IFS=$'\t' read -r name variable timeout path; do
  [ -n "$path" ] || continue
  url="${!variable}$path"
  deadline=$((SECONDS + timeout))
  until curl -fsS -o /dev/null --max-time 10 "$url"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name: $url did not answer within $timeout s" >&2
      exit 1
    fi
    sleep "$POLL_SECONDS"
  done
  echo "$name: healthy"
done < <(jq -r '.[] | [.name, .urlVariable, .healthcheckTimeoutSeconds, (.healthcheckPath // "")] | @tsv' <<<"$DEPLOY_SERVICES")
