-- Why each answer ended the way it did (server/domain/outcomes.ts), for review filters and the
-- dashboard. Answers stored before this version have no outcome (NULL): their path was not
-- recorded, and guessing one from the kind would mislabel refusals as fallbacks.
ALTER TABLE answers ADD COLUMN outcome TEXT;
CREATE INDEX answers_outcome ON answers(outcome, created_at);
