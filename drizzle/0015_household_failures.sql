CREATE TABLE `household_failures` (
	`household_id` integer PRIMARY KEY NOT NULL,
	`mask` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `household_years_year`;--> statement-breakpoint
CREATE INDEX `household_years_year_figures` ON `household_years` (`year`,`household_id`,`cards`,`in_person`,`last_in_person`);