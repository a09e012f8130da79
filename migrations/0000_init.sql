CREATE TABLE `changes` (
	`rv` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`cluster` text NOT NULL,
	`grp` text NOT NULL,
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`type` text NOT NULL,
	`prev_rv` integer,
	`object` text NOT NULL,
	`superseded_rv` integer
);
--> statement-breakpoint
CREATE INDEX `changes_by_resource` ON `changes` (`cluster`,`grp`,`resource`,`rv`);--> statement-breakpoint
CREATE INDEX `changes_superseded` ON `changes` (`superseded_rv`) WHERE superseded_rv IS NOT NULL;--> statement-breakpoint
CREATE TABLE `labels` (
	`cluster` text NOT NULL,
	`grp` text NOT NULL,
	`resource` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	PRIMARY KEY(`cluster`, `grp`, `resource`, `key`, `value`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE TABLE `objects` (
	`cluster` text NOT NULL,
	`grp` text NOT NULL,
	`resource` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`rv` integer NOT NULL,
	PRIMARY KEY(`cluster`, `grp`, `resource`, `namespace`, `name`)
);
--> statement-breakpoint
CREATE TABLE `revisions` (
	`at` integer PRIMARY KEY NOT NULL,
	`rv` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
