#!/usr/bin/env bash
# Refreshes the GraphiQL IDE's vendored builds under api/static/graphiql/ from npm (`npm pack`, no install),
# so /graphql works offline and in private deployments. Change a version here, run this script, then update
# the versions in api/static/graphiql/README.md and run tests/unit/test_graphiql_assets.py (it checks that
# the page's integrity attributes match the files).
set -euo pipefail
cd "$(dirname "$0")/.."

REACT=18.2.0
GRAPHIQL=3.8.3
EXPLORER=1.0.2
dest=api/static/graphiql
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "react@$REACT" "react-dom@$REACT" "graphiql@$GRAPHIQL" \
  "@graphiql/plugin-explorer@$EXPLORER" >/dev/null)
for tgz in "$work"/*.tgz; do mkdir -p "${tgz%.tgz}" && tar xzf "$tgz" -C "${tgz%.tgz}"; done

cp "$work/react-$REACT/package/umd/react.production.min.js" "$dest/react.production.min.js"
cp "$work/react-dom-$REACT/package/umd/react-dom.production.min.js" "$dest/react-dom.production.min.js"
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.js" "$dest/graphiql.min.js"
cp "$work/graphiql-$GRAPHIQL/package/graphiql.min.css" "$dest/graphiql.min.css"
cp "$work/graphiql-plugin-explorer-$EXPLORER/package/dist/index.umd.js" "$dest/plugin-explorer.umd.js"
cp "$work/graphiql-plugin-explorer-$EXPLORER/package/dist/style.css" "$dest/plugin-explorer.css"
for f in "$dest"/*.js "$dest"/*.css; do
  printf '%s  sha384-%s\n' "$(basename "$f")" "$(openssl dgst -sha384 -binary "$f" | base64 -w0)"
done
