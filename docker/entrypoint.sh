#!/bin/sh
# Revier's container entrypoint (POSIX sh, no bashisms: the runtime image has dash).
#
#   entrypoint.sh [serve]        wait for the database, apply migrations, then exec `revier serve`
#   entrypoint.sh healthcheck    exit 0 when this instance's /healthz answers (the image's HEALTHCHECK)
#   entrypoint.sh ARGS...        exec `revier ARGS...` (e.g. `user create alice --email ...`)
#
# Settings come from the REVIER_* environment as for the binary itself (see docs/admin-guide.md).
# Only these variables belong to this script:
#   REVIER_BIN            the binary (default /usr/local/bin/revier); tests run the script outside
#                         a container with the binary of their build
#   REVIER_CONFIG         an optional TOML settings file, passed as `--config` to every command
#   REVIER_DB_WAIT_SECS   how long to keep trying to reach the database and migrate (default 60)
#   REVIER_HEALTHCHECK_URL  what `healthcheck` asks (default http://127.0.0.1:<port of REVIER_BIND>/healthz)
set -eu

REVIER_BIN="${REVIER_BIN:-/usr/local/bin/revier}"
wait_secs="${REVIER_DB_WAIT_SECS:-60}"

log() {
	printf 'revier-entrypoint: %s\n' "$*" >&2
}

# Runs the binary with the settings file, if one is given.
revier() {
	if [ -n "${REVIER_CONFIG:-}" ]; then
		"$REVIER_BIN" --config "$REVIER_CONFIG" "$@"
	else
		"$REVIER_BIN" "$@"
	fi
}

# host:port of a PostgreSQL REVIER_DATABASE_URL, empty for SQLite (or a Unix socket).
postgres_address() {
	case "${REVIER_DATABASE_URL:-}" in
	postgres://* | postgresql://*) ;;
	*) return 0 ;;
	esac
	rest="${REVIER_DATABASE_URL#*://}"
	authority="${rest%%[/?]*}"
	hostport="${authority##*@}"
	case "$hostport" in
	'') return 0 ;;
	\[*\]:*) printf '%s' "$hostport" ;;
	\[*\]) printf '%s:5432' "$hostport" ;;
	*:*) printf '%s' "$hostport" ;;
	*) printf '%s:5432' "$hostport" ;;
	esac
}

# Waits until the database's port accepts TCP connections. curl is the image's only network
# tool: an HTTP request to PostgreSQL connects and is then refused by the server (curl exit 52
# or 56), while a host not yet in DNS (6), a closed port (7) or no answer (28) means "not yet".
wait_for_postgres() {
	address=$(postgres_address)
	[ -n "$address" ] || return 0
	while :; do
		status=0
		curl --silent --output /dev/null --max-time 2 "http://$address/" 2>/dev/null || status=$?
		case "$status" in
		6 | 7 | 28) ;;
		*) return 0 ;;
		esac
		if [ $(($(date +%s) - started)) -ge "$wait_secs" ]; then
			log "the database at $address was not reachable within ${wait_secs} s; giving up"
			exit 1
		fi
		log "waiting for the database at $address"
		sleep 1
	done
}

# The database may still be starting (compose starts PostgreSQL beside us, a restart of the host
# starts everything at once): wait for its port, then retry `revier migrate` until it succeeds
# or the time is up. Its own message (which never contains the password) is shown on the last
# failure.
migrate() {
	case "$wait_secs" in
	'' | *[!0-9]*)
		log "REVIER_DB_WAIT_SECS must be a whole number of seconds, not '$wait_secs'"
		exit 2
		;;
	esac
	started=$(date +%s)
	wait_for_postgres
	attempt=1
	while :; do
		if output=$(revier migrate 2>&1); then
			printf '%s\n' "$output"
			return 0
		fi
		if [ $(($(date +%s) - started)) -ge "$wait_secs" ]; then
			printf '%s\n' "$output" >&2
			log "migrating failed ($attempt attempts in ${wait_secs} s); giving up"
			exit 1
		fi
		log "migrating failed (attempt $attempt), retrying in 2 s"
		attempt=$((attempt + 1))
		sleep 2
	done
}

# The port of REVIER_BIND (host:port or [v6]:port); 8080 when unset.
healthcheck_url() {
	if [ -n "${REVIER_HEALTHCHECK_URL:-}" ]; then
		printf '%s' "$REVIER_HEALTHCHECK_URL"
		return
	fi
	bind="${REVIER_BIND:-0.0.0.0:8080}"
	port="${bind##*:}"
	host="${bind%:*}"
	case "$host" in
	'' | 0.0.0.0) host=127.0.0.1 ;;
	'[::]') host='[::1]' ;;
	esac
	printf 'http://%s:%s/healthz' "$host" "$port"
}

if [ ! -x "$REVIER_BIN" ]; then
	log "REVIER_BIN=$REVIER_BIN is not an executable file"
	exit 2
fi

case "${1:-serve}" in
serve)
	[ "$#" -gt 0 ] && shift
	migrate
	log "starting revier serve"
	if [ -n "${REVIER_CONFIG:-}" ]; then
		exec "$REVIER_BIN" --config "$REVIER_CONFIG" serve "$@"
	fi
	exec "$REVIER_BIN" serve "$@"
	;;
healthcheck)
	exec curl --fail --silent --show-error --max-time 4 --output /dev/null "$(healthcheck_url)"
	;;
*)
	if [ -n "${REVIER_CONFIG:-}" ]; then
		exec "$REVIER_BIN" --config "$REVIER_CONFIG" "$@"
	fi
	exec "$REVIER_BIN" "$@"
	;;
esac
