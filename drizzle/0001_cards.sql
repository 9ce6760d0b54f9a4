CREATE TABLE `card_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`household_id` integer NOT NULL,
	`helper_id` integer NOT NULL,
	`form_id` text NOT NULL,
	`form_version` integer NOT NULL,
	`state` text NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`revise_card_id` integer,
	`revise_reason` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`helper_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `drafts_helper_status` ON `card_drafts` (`helper_id`,`status`);--> statement-breakpoint
CREATE INDEX `drafts_household` ON `card_drafts` (`household_id`);--> statement-breakpoint
CREATE TABLE `card_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`card_id` integer NOT NULL,
	`household_id` integer NOT NULL,
	`code` text NOT NULL,
	`level` text NOT NULL,
	`params` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `flags_household_open` ON `card_flags` (`household_id`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `card_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`card_id` integer NOT NULL,
	`revision` integer NOT NULL,
	`answers` text NOT NULL,
	`changes` text NOT NULL,
	`reason` text,
	`author_id` integer NOT NULL,
	`created_at` integer NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `revisions_card_rev` ON `card_revisions` (`card_id`,`revision`);--> statement-breakpoint
CREATE TABLE `cards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`draft_id` integer NOT NULL,
	`household_id` integer NOT NULL,
	`helper_id` integer NOT NULL,
	`form_id` text NOT NULL,
	`form_version` integer NOT NULL,
	`visit_date` text NOT NULL,
	`visit_mode` text NOT NULL,
	`in_person` integer NOT NULL,
	`answers` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`helper_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cards_draft_id_unique` ON `cards` (`draft_id`);--> statement-breakpoint
CREATE INDEX `cards_household_date` ON `cards` (`household_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `cards_helper` ON `cards` (`helper_id`);