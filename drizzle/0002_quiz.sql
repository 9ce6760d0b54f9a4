CREATE TABLE `quiz_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`push_id` integer,
	`question_id` text NOT NULL,
	`version` integer NOT NULL,
	`choices` text NOT NULL,
	`correct` integer NOT NULL,
	`ms` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_answers_attempt_question` ON `quiz_answers` (`attempt_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `quiz_answers_person` ON `quiz_answers` (`person_id`,`at`);--> statement-breakpoint
CREATE INDEX `quiz_answers_push` ON `quiz_answers` (`push_id`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`push_id` integer,
	`kind` text NOT NULL,
	`questions` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`pending` text DEFAULT '[]' NOT NULL,
	`shown_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`correct_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`push_id`) REFERENCES `quiz_pushes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_attempts_person_push` ON `quiz_attempts` (`person_id`,`push_id`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_push` ON `quiz_attempts` (`push_id`);--> statement-breakpoint
CREATE TABLE `quiz_cards` (
	`person_id` integer NOT NULL,
	`question_id` text NOT NULL,
	`box` integer NOT NULL,
	`due` integer NOT NULL,
	`last_review_at` integer,
	`lapses` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`person_id`, `question_id`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_cards_due` ON `quiz_cards` (`due`);--> statement-breakpoint
CREATE TABLE `quiz_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`push_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`sending_at` integer,
	`sent_at` integer,
	`error` text,
	`reminded_at` integer,
	FOREIGN KEY (`push_id`) REFERENCES `quiz_pushes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_deliveries_push_person` ON `quiz_deliveries` (`push_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `quiz_deliveries_status` ON `quiz_deliveries` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `quiz_deliveries_person` ON `quiz_deliveries` (`person_id`);--> statement-breakpoint
CREATE TABLE `quiz_nudges` (
	`person_id` integer NOT NULL,
	`day` text NOT NULL,
	`at` integer NOT NULL,
	PRIMARY KEY(`person_id`, `day`),
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `quiz_pushes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trainer_id` integer NOT NULL,
	`questions` text NOT NULL,
	`selection` text NOT NULL,
	`audience` text NOT NULL,
	`deadline` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`trainer_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_pushes_trainer` ON `quiz_pushes` (`trainer_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `quiz_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`question_id` text NOT NULL,
	`version` integer NOT NULL,
	`bank` text NOT NULL,
	`topic` text NOT NULL,
	`level` text NOT NULL,
	`content` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_questions_id_version` ON `quiz_questions` (`question_id`,`version`);