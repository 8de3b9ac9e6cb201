-- The seeded packages labelled the wrong one as discounted: 5,000 credits for
-- 50.00 EUR is the list price (1 credit = EUR 0.01) and said "5% off", while
-- 10,000 for 95.00 EUR is the 5% discount and said nothing. Packages an admin
-- has changed since are left as they are.
UPDATE ledger_packages SET discount = ''
	WHERE name = '5,000 credits' AND credits_minor = 5000000000000 AND price_minor = 5000 AND currency = 'EUR' AND discount = '5';
UPDATE ledger_packages SET discount = '5'
	WHERE name = '10,000 credits' AND credits_minor = 10000000000000 AND price_minor = 9500 AND currency = 'EUR' AND discount = '';
