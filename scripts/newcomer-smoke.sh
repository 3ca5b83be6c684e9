#!/usr/bin/env bash
# The README's promise, tested (run by .ci/run): from a fresh clone, `npm install && npm start` on an empty
# embedded database, then the README's example query (the ```sh block after the `newcomer-smoke` marker,
# run as written with only the port changed) must answer with the customers list; then the unit tests
# and the legacy sample import run in the clone, which has no team folder beside it.
# In a checkout with uncommitted changes, those changes are copied over the clone, so what is checked is
# what would be committed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM -- "-$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet "$repo" "$work/app"
(
  cd "$repo"
  git ls-files -z --modified --others --exclude-standard | while IFS= read -r -d '' file; do
    if [ -f "$file" ]; then mkdir -p "$work/app/$(dirname "$file")" && cp -p "$file" "$work/app/$file"; fi
  done
  git ls-files -z --deleted | while IFS= read -r -d '' file; do rm -f "$work/app/$file"; done
)

cd "$work/app"
echo "newcomer: npm install"
npm install --no-audit --no-fund >"$work/install.log" 2>&1 || { tail -n 40 "$work/install.log"; exit 1; }

port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
echo "newcomer: npm start on port $port"
# Its own process group, so that stopping it stops npm and the server it started.
env -u DATABASE_URL -u NODE_ENV -u REDIS_URL DATA_DIR="$work/data" PORT="$port" HOST=127.0.0.1 setsid npm start >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { echo "the server exited:"; tail -n 40 "$work/server.log"; exit 1; }
  sleep 0.5
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "the server never became ready:"; tail -n 40 "$work/server.log"; exit 1; }

example=$(awk '/newcomer-smoke/ {found=1} found && /^```sh/ {inside=1; next} inside && /^```/ {exit} inside {print}' README.md)
[ -n "$example" ] || { echo "README.md has no example after the newcomer-smoke marker"; exit 1; }
answer=$(bash -c "${example//localhost:4000/localhost:$port}")
echo "newcomer: the example answered $answer"
case "$answer" in
  *'"errors"'*) echo "the README's example query failed"; exit 1 ;;
  *'"customers":{"totalCount":'*) ;;
  *) echo "the README's example query did not answer with the customers"; exit 1 ;;
esac

kill -TERM -- "-$server_pid"
wait "$server_pid" || true
# npm may exit before the server it started has finished shutting down: wait for the whole group.
for _ in $(seq 1 60); do kill -0 -- "-$server_pid" 2>/dev/null || break; sleep 0.5; done
server_pid=""
grep -q '"msg":"stopped"' "$work/server.log" || { echo "the server did not stop cleanly:"; tail -n 20 "$work/server.log"; exit 1; }

# The clone has nothing beside it (no team folder): the quick part of the suite proves that neither the
# tests nor the server need anything from outside the repository.
[ ! -e "$work/shared" ] || { echo "the clone must have no shared folder beside it"; exit 1; }
echo "newcomer: unit tests and the legacy sample import in the clone"
env -u TEST_DATABASE_URL -u DATABASE_URL npx vitest run --project pglite test/unit test/legacy/sample-import.test.ts
echo "newcomer: clone → npm install → npm start → README query works; the clone's own tests pass"
