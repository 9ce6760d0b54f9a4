CREATE TABLE `card_reviews` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`card_id` integer NOT NULL,
	`household_id` integer NOT NULL,
	`supervisor_id` integer NOT NULL,
	`helper_id` integer NOT NULL,
	`field_path` text NOT NULL,
	`comment` text NOT NULL,
	`status` text DEFAULT 'sent' NOT NULL,
	`draft_id` integer,
	`revision` integer,
	`created_at` integer NOT NULL,
	`revised_at` integer,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`supervisor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`helper_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `card_reviews_card` ON `card_reviews` (`card_id`);--> statement-breakpoint
CREATE INDEX `card_reviews_draft` ON `card_reviews` (`draft_id`);--> statement-breakpoint
CREATE INDEX `card_reviews_helper` ON `card_reviews` (`helper_id`,`status`);--> statement-breakpoint
CREATE TABLE `job_runs` (
	`job` text NOT NULL,
	`slot` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`sent` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`job`, `slot`)
);
--> statement-breakpoint
CREATE INDEX `cards_inperson_household_date` ON `cards` (`in_person`,`household_id`,`visit_date`);--> statement-breakpoint
CREATE INDEX `cards_helper_inperson_date` ON `cards` (`helper_id`,`in_person`,`visit_date`);--> statement-breakpoint
CREATE INDEX `cards_household_guarantees` ON `cards` (`household_id`,`visit_date`,"answers" ->> '$.food_status',"answers" ->> '$.clothing_status',"answers" ->> '$.education_status',"answers" ->> '$.medical_status',"answers" ->> '$.housing_status',"answers" ->> '$.water_status');