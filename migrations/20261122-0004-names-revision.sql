-- Cached run pages list the people a step can be handed to: adding, deactivating or
-- reactivating someone changes that list, as renaming did already.
CREATE TRIGGER people_insert_bumps_names AFTER INSERT ON people
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
CREATE TRIGGER people_active_bumps_names AFTER UPDATE OF active ON people
BEGIN
  UPDATE app_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'names_revision';
END;
