-- A step's own fields, found by the step: completing a step asks whether a required one is
-- still empty, and a run's JSON lists each step's fields in order. Without this index both read
-- every field of every run (a full table scan per completion, slower as runs pile up).
CREATE INDEX run_field_values_step ON run_field_values (run_step_id, position);
