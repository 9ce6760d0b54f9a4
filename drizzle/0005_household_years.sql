CREATE TABLE `household_years` (
	`household_id` integer NOT NULL,
	`year` text NOT NULL,
	`cards` integer NOT NULL,
	`in_person` integer NOT NULL,
	`last_in_person` text,
	`last_visit` text NOT NULL,
	PRIMARY KEY(`household_id`, `year`)
);
--> statement-breakpoint
CREATE INDEX `household_years_year` ON `household_years` (`year`);