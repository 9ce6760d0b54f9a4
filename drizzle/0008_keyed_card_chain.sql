CREATE TABLE `chain_head` (
	`id` integer PRIMARY KEY NOT NULL,
	`count` integer NOT NULL,
	`head_hash` text NOT NULL,
	`mac` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `card_revisions` ADD `household_id` integer;--> statement-breakpoint
ALTER TABLE `card_revisions` ADD `helper_id` integer;--> statement-breakpoint
ALTER TABLE `card_revisions` ADD `visit_date` text;--> statement-breakpoint
ALTER TABLE `card_revisions` ADD `visit_mode` text;--> statement-breakpoint
ALTER TABLE `card_revisions` ADD `in_person` integer;