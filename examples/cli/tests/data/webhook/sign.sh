#!/bin/sh
# Writes the signatures the webhook tests check (tests/webhook.rs), with the openssl CLI and
# the test key here, over `{message id}.{timestamp}.{raw body}` as Kick signs deliveries.
# The ids and the timestamp are the tests' constants.
set -eu
cd "$(dirname "$0")"
sign() { # message-id timestamp body-file signature-file
    printf '%s.%s.' "$1" "$2" | cat - "$3" | openssl dgst -sha256 -sign test-key.pem | base64 -w0 > "$4"
}
sign 01JHHDD0RAGEZ2P5NBTK5AF6TJ 2025-01-14T16:08:06Z followed.json followed.sig
sign 01JHHDD0RAGEZ2P5NBTK5AF6TK 2025-01-14T16:08:06Z no-broadcaster.json no-broadcaster.sig
sign 01JHHDD0RAGEZ2P5NBTK5AF6TM 2025-01-14T16:08:06Z renewal.json renewal.sig
