-- Compare-and-swap: a write applies only if it names the current rv of its key (NULL: the key must
-- not exist). RAISE(IGNORE) drops the row without failing the statement, so one batch can carry many
-- independent writes; the writer sees a rejected write as an INSERT ... RETURNING that returned nothing.
CREATE TRIGGER `changes_cas` BEFORE INSERT ON `changes`
WHEN NEW.prev_rv IS NOT (SELECT rv FROM objects WHERE cluster = NEW.cluster AND grp = NEW.grp
  AND resource = NEW.resource AND namespace = NEW.namespace AND name = NEW.name)
BEGIN
  SELECT RAISE(IGNORE);
END;
--> statement-breakpoint
-- A create or an update: supersede the previous version, move the current-state row and the labels.
CREATE TRIGGER `changes_apply_put` AFTER INSERT ON `changes` WHEN NEW.type <> 'DELETED'
BEGIN
  UPDATE changes SET superseded_rv = NEW.rv WHERE rv = NEW.prev_rv;
  DELETE FROM labels WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND (key, value) IN (SELECT j.key, j.value FROM changes p, json_each(p.object, '$.metadata.labels') j WHERE p.rv = NEW.prev_rv)
    AND namespace = NEW.namespace AND name = NEW.name;
  INSERT INTO objects (cluster, grp, resource, namespace, name, rv)
    VALUES (NEW.cluster, NEW.grp, NEW.resource, NEW.namespace, NEW.name, NEW.rv)
    ON CONFLICT (cluster, grp, resource, namespace, name) DO UPDATE SET rv = excluded.rv;
  INSERT INTO labels (cluster, grp, resource, key, value, namespace, name)
    SELECT NEW.cluster, NEW.grp, NEW.resource, j.key, j.value, NEW.namespace, NEW.name
    FROM json_each(NEW.object, '$.metadata.labels') j;
END;
--> statement-breakpoint
-- A deletion: the version it ends and the deletion record itself are both history from now on.
CREATE TRIGGER `changes_apply_delete` AFTER INSERT ON `changes` WHEN NEW.type = 'DELETED'
BEGIN
  UPDATE changes SET superseded_rv = NEW.rv WHERE rv = NEW.prev_rv OR rv = NEW.rv;
  DELETE FROM labels WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND (key, value) IN (SELECT j.key, j.value FROM changes p, json_each(p.object, '$.metadata.labels') j WHERE p.rv = NEW.prev_rv)
    AND namespace = NEW.namespace AND name = NEW.name;
  DELETE FROM objects WHERE cluster = NEW.cluster AND grp = NEW.grp AND resource = NEW.resource
    AND namespace = NEW.namespace AND name = NEW.name;
END;
