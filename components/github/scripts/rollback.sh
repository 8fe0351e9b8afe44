#!/usr/bin/env bash
# shellcheck disable=SC2154 # state: set by prelude.sh, which the step runs first
# Every service back to what ran before this job, carrying on past a failure; the summary names
# what was rolled back and what could not be.
if [ ! -f "$state" ]; then
  echo "Nothing to roll back: the job failed before it recorded what runs." | tee -a "$GITHUB_STEP_SUMMARY"
  exit 0
fi
rolled="" failed="" none=""
while IFS=$'\t' read -r name previous; do
  if [ -z "$previous" ]; then
    none="$none $name"
    continue
  fi
  if railway "$(jq -n --arg q "$Q_ROLLBACK" --arg id "$previous" '{query: $q, variables: {id: $id}}')" >/dev/null; then
    rolled="$rolled $name"
    echo "$name: rolled back to $previous"
  else
    failed="$failed $name"
    echo "$name: could not roll back to $previous" >&2
  fi
done < <(jq -r '.services | to_entries[] | [.key, .value.previous] | @tsv' "$state")
{
  echo "### Deploy to $RAILWAY_ENVIRONMENT failed"
  echo "- rolled back:${rolled:- none}"
  echo "- could not be rolled back:${failed:- none}"
  echo "- had no earlier deployment:${none:- none}"
} | tee -a "$GITHUB_STEP_SUMMARY"
[ -z "$failed" ]
