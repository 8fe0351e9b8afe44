#!/usr/bin/env bash
# The reviewed plan of the commit deploy.yml deploys: the pull request it was merged from, that pull
# request's latest "Pull request" workflow run for its head commit, and that run's artifact
# plan-STACK (what `node dist/plan/reviewed.js save` left), downloaded into DIR. A commit that came
# from no pull request, or whose preview saved no plan, gets no deploy: the message says why.
# Needs GH_TOKEN (actions: read, pull-requests: read), GITHUB_REPOSITORY and GITHUB_SHA.
#   scripts/reviewed-plan.sh STACK DIR
set -euo pipefail
stack=$1
dir=$2
pr=$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" --jq 'map(select(.merged_at != null)) | .[0].number // empty')
if [ -z "$pr" ]; then
  echo "Commit $GITHUB_SHA was merged from no pull request, so no plan of it was reviewed, and nothing is applied. Make the change through a pull request: its preview saves the plan this deploy applies." >&2
  exit 1
fi
head=$(gh api "repos/$GITHUB_REPOSITORY/pulls/$pr" --jq .head.sha)
run=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow pull-request.yml --event pull_request --commit "$head" --limit 1 --json databaseId --jq '.[0].databaseId // empty')
if [ -z "$run" ]; then
  echo "Pull request #$pr (head $head) has no run of the Pull request workflow, so no plan of it was reviewed, and nothing is applied." >&2
  exit 1
fi
if ! gh run download "$run" --repo "$GITHUB_REPOSITORY" --name "plan-$stack" --dir "$dir"; then
  echo "Run $run of the Pull request workflow for #$pr (head $head) saved no plan for stack $stack: its preview failed, the destructive-change gate refused it, or it was not approved. Re-run that preview, review what it shows, then re-run this deploy." >&2
  exit 1
fi
echo "Stack $stack: the plan pull request #$pr's preview saved (run $run, head $head)."
