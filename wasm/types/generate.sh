#!/usr/bin/env bash
# Regenerates wasm/types/events.d.ts from the JSON kickwire produces: the fields and nesting of
# every event come from decoding an empty payload of each event name, the value types from the
# real frames in tests/vectors/kick. Needs python3 and the kickwire CLI.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p kickwire-cli
KW=target/debug/kickwire
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/empty-frames.jsonl" <<'PY'
import json, sys
names = """ChatMessage MessageDeleted UserBanned UserUnbanned ChatroomClear ChatroomUpdated
ChatSettingsChanged PinnedMessageCreated PinnedMessageDeleted PollUpdate PollDelete Subscription
ChannelSubscription GiftedSubscriptions LuckyUsersWhoGotGiftSubscriptions GiftsLeaderboardUpdated
KicksGifted KicksLeaderboardUpdated RewardRedeemed StreamerIsLive StopStreamBroadcast StreamHost
StreamHosted ChatMoveToSupportedChannel FollowersUpdated GoalCreated GoalProgressUpdate
GoalAchieved GoalCanceled PredictionCreated PredictionUpdated NewSubscriberUpdated NewActivityFeed
ChatMessageSent LivestreamUpdated""".split()
with open(sys.argv[1], "w") as f:
    for n in names:
        f.write(json.dumps({"event": "App\\Events\\" + n, "data": "{}", "channel": "c"}) + "\n")
PY
"$KW" replay --json "$tmp/empty-frames.jsonl" 2>/dev/null >"$tmp/empty.jsonl"
find tests/vectors/kick -name '*.jsonl' ! -name '*.expected.jsonl' ! -path '*/protocol/*' -print0 |
    sort -z | xargs -0 -n1 "$KW" replay --json 2>/dev/null >"$tmp/vectors.jsonl"
python3 wasm/types/generate.py "$tmp/empty.jsonl" "$tmp/vectors.jsonl" >wasm/types/events.d.ts
echo "wrote wasm/types/events.d.ts" >&2
