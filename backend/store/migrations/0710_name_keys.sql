-- Names of members, departments and providers are one name when their keys
-- are equal (backend/namekey, the SQL function md_name_key): NFKC, Unicode
-- case folding, invisible format characters dropped, Cyrillic and Greek
-- look-alikes read as Latin letters. Until now they were compared with
-- COLLATE NOCASE, which folds A-Z only, so "alice" and "аlice" (a Cyrillic
-- "а"), "bob" and "Ｂｏｂ", "ß" and "SS" could all be saved side by side.
-- name_key holds the key, kept by the triggers below, and replaces the
-- NOCASE unique indexes.
ALTER TABLE users ADD COLUMN name_key TEXT;
ALTER TABLE departments ADD COLUMN name_key TEXT;
ALTER TABLE providers ADD COLUMN name_key TEXT;

UPDATE users SET name_key = md_name_key(name);
UPDATE departments SET name_key = md_name_key(name);
UPDATE providers SET name_key = md_name_key(name);

-- Names saved before this rule that are one name by it are kept, names and
-- rows unchanged: the oldest (lowest id) keeps the key, each later one gets
-- key || U+0001 || id, which no name's key can be (names have no control
-- characters). They stay reachable by their exact name and by id; renaming
-- one (a department, a provider) gives it the plain key, if free.
UPDATE users SET name_key = name_key || char(1) || id
	WHERE status <> 'removed' AND EXISTS (SELECT 1 FROM users o
		WHERE o.status <> 'removed' AND o.name_key = users.name_key AND o.id < users.id);
UPDATE departments SET name_key = name_key || char(1) || id
	WHERE archived = 0 AND EXISTS (SELECT 1 FROM departments o
		WHERE o.archived = 0 AND o.name_key = departments.name_key AND o.id < departments.id);
UPDATE providers SET name_key = name_key || char(1) || id
	WHERE EXISTS (SELECT 1 FROM providers o WHERE o.name_key = providers.name_key AND o.id < providers.id);

DROP INDEX users_name;
DROP INDEX departments_name;
DROP INDEX providers_name;
CREATE UNIQUE INDEX users_name_key ON users(name_key) WHERE status <> 'removed';
CREATE UNIQUE INDEX departments_name_key ON departments(name_key) WHERE archived = 0;
CREATE UNIQUE INDEX providers_name_key ON providers(name_key);

CREATE TRIGGER users_name_key_insert AFTER INSERT ON users BEGIN
	UPDATE users SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER users_name_key_rename AFTER UPDATE OF name ON users WHEN NEW.name IS NOT OLD.name BEGIN
	UPDATE users SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER departments_name_key_insert AFTER INSERT ON departments BEGIN
	UPDATE departments SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER departments_name_key_rename AFTER UPDATE OF name ON departments WHEN NEW.name IS NOT OLD.name BEGIN
	UPDATE departments SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER providers_name_key_insert AFTER INSERT ON providers BEGIN
	UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
CREATE TRIGGER providers_name_key_rename AFTER UPDATE OF name ON providers WHEN NEW.name IS NOT OLD.name BEGIN
	UPDATE providers SET name_key = md_name_key(NEW.name) WHERE id = NEW.id;
END;
