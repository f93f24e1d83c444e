//! `tally-classify`: the categorisation engine (placeholder until issue 5 lands).
