#!/usr/bin/env bash
# Builds the pinned Pulumi toolchain from Go modules into a cache outside the repository, once, and
# prints the folder holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`.
#   scripts/toolchain.sh            build when missing, print the folder
#   scripts/toolchain.sh --check    print the folder when it is complete, exit 1 otherwise
# The cache is $PLATFORM_TOOLCHAIN_CACHE, else $XDG_CACHE_HOME/platform, else ~/.cache/platform.
set -euo pipefail

CLI_VERSION=v3.276.0        # github.com/pulumi/pulumi/pkg/v3, package cmd/pulumi
HOST_VERSION=v3.68.0        # github.com/pulumi/pulumi/sdk/v3, the last that holds the Node language host
CLIPBOARD=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e   # pkg/v3's own replace

cache="${PLATFORM_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/platform}"
dir="$cache/pulumi-$CLI_VERSION-host-$HOST_VERSION"
bin="$dir/bin"

complete() {
  [ -x "$bin/pulumi" ] && [ -x "$bin/pulumi-language-nodejs" ] && [ -x "$bin/pulumi-resource-pulumi-nodejs" ]
}

if complete; then
  echo "$bin"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  exit 1
fi
if ! command -v go >/dev/null 2>&1; then
  echo "toolchain: Go is needed to build the Pulumi CLI (go 1.26 or newer), or set PULUMI_TOOLCHAIN" >&2
  echo "to a folder holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs." >&2
  exit 1
fi

work="$dir/src"
mkdir -p "$work/cli" "$work/host" "$bin"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
export GOTOOLCHAIN=local

echo "toolchain: building pulumi $CLI_VERSION (a few minutes the first time)" >&2
cd "$work/cli"
cat > go.mod <<MOD
module platform.local/toolchain/cli

go 1.26.6

replace github.com/atotto/clipboard => ${CLIPBOARD/@/ }
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
# `go get` resolves what the build needs; `go mod tidy` would also fetch every dependency's tests.
go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$CLI_VERSION" "github.com/pulumi/pulumi/sdk/v3@$CLI_VERSION" >&2
go build -trimpath \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$CLI_VERSION" \
  -o "$bin/pulumi.tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
mv "$bin/pulumi.tmp" "$bin/pulumi"

# Dynamic providers' plugin: the SDK ships it as a shell script that runs @pulumi/pulumi's
# cmd/dynamic-provider from the program's node_modules.
sdk_dir="$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
install -m 0755 "$sdk_dir/nodejs/dist/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"

echo "toolchain: building pulumi-language-nodejs from sdk $HOST_VERSION" >&2
cd "$work/host"
cat > go.mod <<MOD
module platform.local/toolchain/host

go 1.20
MOD
cat > tools.go <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs"
GO
go get "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$HOST_VERSION" >&2
go build -trimpath \
  -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$HOST_VERSION" \
  -o "$bin/pulumi-language-nodejs.tmp" github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs
mv "$bin/pulumi-language-nodejs.tmp" "$bin/pulumi-language-nodejs"

complete
"$bin/pulumi" version >&2
echo "$bin"
