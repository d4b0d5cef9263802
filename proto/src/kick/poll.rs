//! Polls, predictions and goals: PollUpdate, PollDelete, PredictionCreated/Updated, Goal*.
//!
//! No public capture of a prediction or of `PollDeleteEvent` exists (see the vectors' SOURCES.md);
//! their readers accept the shapes Kick's web API uses and are lenient about the rest.

use super::macros::kick_struct;
use super::time::Timestamp;
use crate::error::SyntaxError;
use crate::json::field::{Field, Members, object_fields};
use crate::json::reader::{Kind, Reader};
use crate::limits::{ID, LABEL, OPTIONS, SHORT, TITLE};
use crate::text::{List, Text};

kick_struct! {
    /// One poll option.
    pub struct PollOption {
        /// Option id (0-based).
        pub id: u64,
        /// Label.
        pub label: Text<LABEL>,
        /// Votes so far.
        pub votes: u64,
    }
}
object_fields!(PollOption { b"id" => id, b"label" => label, b"votes" => votes });

kick_struct! {
    /// A poll.
    pub struct Poll {
        /// The question.
        pub title: Text<TITLE>,
        /// Options; [`List::total`] counts all of them.
        pub options: List<PollOption, OPTIONS>,
        /// Length in seconds.
        pub duration: Option<u64>,
        /// Seconds left.
        pub remaining: Option<u64>,
        /// Seconds the result stays on screen.
        pub result_display_duration: Option<u64>,
    }
}
object_fields!(Poll {
    b"title" => title,
    b"options" => options,
    b"duration" => duration,
    b"remaining" => remaining,
    b"result_display_duration" => result_display_duration,
});

kick_struct! {
    /// `PollUpdateEvent`: a poll started or its votes changed.
    pub struct PollUpdate {
        /// The poll now.
        pub poll: Poll,
    }
}
object_fields!(PollUpdate { b"poll" => poll });

kick_struct! {
    /// `PollDeleteEvent`: the poll was removed (no payload worth keeping).
    pub struct PollDelete {}
}

kick_struct! {
    /// One prediction outcome.
    pub struct Outcome {
        /// Outcome id.
        pub id: Text<ID>,
        /// Label.
        pub title: Text<LABEL>,
        /// Users who voted for it.
        pub vote_count: Option<u64>,
        /// Channel points on it.
        pub total_vote_amount: Option<u64>,
    }
}
object_fields!(Outcome {
    b"id" => id,
    b"title" => title,
    b"vote_count" => vote_count,
    b"total_vote_amount" => total_vote_amount,
});

kick_struct! {
    /// A channel-points prediction.
    pub struct Prediction {
        /// Prediction id.
        pub id: Text<ID>,
        /// Channel id.
        pub channel_id: Option<u64>,
        /// The question.
        pub title: Text<TITLE>,
        /// `ACTIVE`, `LOCKED`, `RESOLVED`, `CANCELLED`...
        pub state: Text<SHORT>,
        /// Outcomes; [`List::total`] counts all of them.
        pub outcomes: List<Outcome, OPTIONS>,
        /// Voting window in seconds.
        pub duration: Option<u64>,
        /// The winning outcome's id, once resolved.
        pub winning_outcome_id: Option<Text<ID>>,
        /// When it was created.
        pub created_at: Option<Timestamp>,
        /// When it last changed.
        pub updated_at: Option<Timestamp>,
        /// When voting closed.
        pub locked_at: Option<Timestamp>,
    }
}
object_fields!(Prediction {
    b"id" => id,
    b"channel_id" => channel_id,
    b"title" => title,
    b"state" => state,
    b"outcomes" => outcomes,
    b"duration" => duration,
    b"winning_outcome_id" => winning_outcome_id,
    b"created_at" => created_at,
    b"updated_at" => updated_at,
    b"locked_at" => locked_at,
});

kick_struct! {
    /// `PredictionCreated` / `PredictionUpdated`, wrapped (`{"prediction":{…}}`) or not.
    pub struct PredictionEvent {
        /// The prediction now.
        pub prediction: Prediction,
    }
}

impl Field for PredictionEvent {
    fn read<const E: bool>(&mut self, r: &mut Reader<'_, E>) -> Result<(), SyntaxError> {
        if r.peek_kind()? != Kind::Object {
            return r.skip_value();
        }
        r.object(|r, key| match key {
            b"prediction" => self.prediction.read(r),
            _ => self.prediction.read_member(r, key),
        })
    }
}

kick_struct! {
    /// A channel goal (`GoalCreated`, `GoalProgressUpdate`, `GoalAchieved`, `GoalCanceled`).
    pub struct Goal {
        /// Goal id (`chgoal_…`).
        pub id: Text<ID>,
        /// Channel id (a ULID string such as `channel_01H2…` in 2026 frames).
        pub channel_id: Text<ID>,
        /// `followers`, `subscribers`, ...
        /// (In JSON `goal_type`: `type` names the event.)
        #[cfg_attr(feature = "serde", serde(rename = "goal_type"))]
        pub kind: Text<SHORT>,
        /// Target.
        pub target_value: Option<u64>,
        /// Progress.
        pub current_value: Option<u64>,
        /// `active`, `achieved`, ...
        pub status: Text<SHORT>,
        /// Created.
        pub created_at: Option<Timestamp>,
        /// Last changed.
        pub updated_at: Option<Timestamp>,
        /// Reached.
        pub achieved_at: Option<Timestamp>,
        /// Deadline.
        pub end_date: Option<Timestamp>,
    }
}
object_fields!(Goal {
    b"id" => id,
    b"channel_id" => channel_id,
    b"type" => kind,
    b"target_value" => target_value,
    b"current_value" => current_value,
    b"status" => status,
    b"created_at" => created_at,
    b"updated_at" => updated_at,
    b"achieved_at" => achieved_at,
    b"end_date" => end_date,
});
