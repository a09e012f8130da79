-- The label index is kept from the `labels` column (rows written before it fall back to the object).
-- Creates, updates and deletions get their own triggers, so each runs only what it needs, and an update
-- whose labels are unchanged (status writes, most updates) leaves the index alone.
DROP TRIGGER `changes_apply_put`;
--> statement-breakpoint
DROP TRIGGER `changes_apply_delete`;
--> statement-breakpoint
CREATE TRIGGER `changes_apply_create` AFTER INSERT ON `changes` WHEN NEW.type <> 'DELETED' AND NEW.prev_rv IS NULL
BEGIN
  INSERT INTO objects (cluster, grp, resource, namespace, name, rv)
    VALUES (NEW.cluster, NEW.grp, NEW.resource, NEW.namespace, NEW.name, NEW.rv)
    ON CONFLICT (cluster, grp, resource, namespace, name) DO UPDATE SET rv = excluded.rv;
  INSERT INTO labels (cluster, grp, resource, key, value, namespace, name)
    SELECT NEW.cluster, NEW.grp, NEW.resource, j.key, j.value, NEW.namespace, NEW.name
    FROM json_each(COALESCE(NEW.labels, json_extract(NEW.object, '$.metadata.labels'))) j;
END;
--> statement-breakpoint
CREATE TRIGGER `changes_apply_update` AFTER INSERT ON `changes` WHEN NEW.type <> 'DELETED' AND NEW.prev_rv IS NOT NULL
BEGIN
  UPDATE changes SET superseded_rv = NEW.rv WHERE rv = NEW.prev_rv;
  UPDATE objects SET rv = NEW.rv WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND namespace = NEW.namespace AND name = NEW.name;
END;
--> statement-breakpoint
CREATE TRIGGER `changes_relabel` AFTER INSERT ON `changes`
WHEN NEW.type <> 'DELETED' AND NEW.prev_rv IS NOT NULL
  AND COALESCE(NEW.labels, json_extract(NEW.object, '$.metadata.labels'))
    IS NOT (SELECT COALESCE(p.labels, json_extract(p.object, '$.metadata.labels')) FROM changes p WHERE p.rv = NEW.prev_rv)
BEGIN
  DELETE FROM labels WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND (key, value) IN (SELECT j.key, j.value FROM changes p,
      json_each(COALESCE(p.labels, json_extract(p.object, '$.metadata.labels'))) j WHERE p.rv = NEW.prev_rv)
    AND namespace = NEW.namespace AND name = NEW.name;
  INSERT INTO labels (cluster, grp, resource, key, value, namespace, name)
    SELECT NEW.cluster, NEW.grp, NEW.resource, j.key, j.value, NEW.namespace, NEW.name
    FROM json_each(COALESCE(NEW.labels, json_extract(NEW.object, '$.metadata.labels'))) j;
END;
--> statement-breakpoint
CREATE TRIGGER `changes_apply_delete` AFTER INSERT ON `changes` WHEN NEW.type = 'DELETED'
BEGIN
  UPDATE changes SET superseded_rv = NEW.rv WHERE rv = NEW.prev_rv OR rv = NEW.rv;
  DELETE FROM labels WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND (key, value) IN (SELECT j.key, j.value FROM changes p,
      json_each(COALESCE(p.labels, json_extract(p.object, '$.metadata.labels'))) j WHERE p.rv = NEW.prev_rv)
    AND namespace = NEW.namespace AND name = NEW.name;
  DELETE FROM objects WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND namespace = NEW.namespace AND name = NEW.name;
END;
