DROP INDEX `cards_inperson_household_date`;--> statement-breakpoint
DROP INDEX `cards_household_date`;--> statement-breakpoint
CREATE INDEX `cards_household_date` ON `cards` (`household_id`,`visit_date`,`in_person`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_push_finished` ON `quiz_attempts` (`push_id`,`finished_at`,`person_id`,`correct_count`);