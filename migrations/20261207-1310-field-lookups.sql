-- Lookups of a run's fields that every completion or fill makes, by index rather than by reading.

-- A step's own fields, found by the step: completing a step asks whether a required one is
-- still empty, and a run's JSON lists each step's fields in order. Without this index both read
-- every field of every run (a full table scan per completion, slower as runs pile up).
CREATE INDEX run_field_values_step ON run_field_values (run_step_id, position);

-- The steps whose condition or due time names a field: filling a field looks for them, and
-- most runs have none, so the index holds only those steps (and filling a field in a run
-- without them reads no step at all).
CREATE INDEX run_steps_named_fields ON run_steps (run_id, position) WHERE condition_fields <> '[]' OR due_field IS NOT NULL;
