-- A department's budget (the reference for percent alerts) is never
-- negative: an allocation that only repaid debt used to store the negative
-- balance it left. 0 means "no budget" (percent alerts fall back to the last
-- top-up), as a department that was never allocated to has.
UPDATE departments SET budget_minor = 0 WHERE budget_minor < 0;
