-- A user's names (basiq-version 3.0's firstName, middleName, lastName). NULL when not given.
ALTER TABLE users ADD COLUMN first_name TEXT;
ALTER TABLE users ADD COLUMN middle_name TEXT;
ALTER TABLE users ADD COLUMN last_name TEXT;
