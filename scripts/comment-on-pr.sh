#!/usr/bin/env bash
# Posts FILE as one comment on the pull request, found again by MARKER and updated on each push,
# so a pull request holds one comment per MARKER. For pull-request.yml; needs GH_TOKEN (with
# pull-requests: write), PR (the number) and GITHUB_REPOSITORY. Nothing to post: nothing is done.
#   scripts/comment-on-pr.sh MARKER FILE
set -euo pipefail
marker=$1
file=$2
[ -s "$file" ] || exit 0
body="${RUNNER_TEMP:-/tmp}/comment-$$.md"
printf '%s\n%s\n' "$marker" "$(cat "$file")" >"$body"
id=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR/comments" --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$id" ]; then
  gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" >/dev/null
else
  gh api "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -F "body=@$body" >/dev/null
fi
