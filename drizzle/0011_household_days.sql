CREATE TABLE `household_days` (
	`household_id` integer NOT NULL,
	`day` text NOT NULL,
	`cards` integer NOT NULL,
	`in_person` integer NOT NULL,
	PRIMARY KEY(`household_id`, `day`)
);
--> statement-breakpoint
CREATE INDEX `household_days_day` ON `household_days` (`day`,`household_id`,`cards`,`in_person`);