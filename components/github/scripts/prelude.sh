#!/usr/bin/env bash
# shellcheck disable=SC2034 # state: read by the step prelude.sh runs before
state="$RUNNER_TEMP/railway-deploy.json"
# railway BODY [FILTER]: sends one request and prints FILTER (default: all) of its data.
railway() {
  local response
  if ! response=$(curl -sS --fail-with-body --retry 3 --max-time 60 "$RAILWAY_API_URL" -H "Project-Access-Token: $RAILWAY_TOKEN" -H 'content-type: application/json' --data-binary "$1"); then
    echo "Railway API request failed: $response" >&2
    return 1
  fi
  jq -r 'if (.errors // []) | length > 0 then "Railway API error: \([.errors[].message] | join("; "))\n" | halt_error(1) else .data | '"${2:-.}"' end' <<<"$response"
}
# Name, then one field of each service this job deploys, tab-separated.
services() { jq -r --arg f "$1" '.[] | [.name, (.[$f] // "" | tostring)] | @tsv' <<<"$DEPLOY_SERVICES"; }
