CREATE TABLE `webhook_inbox` (
	`update_id` integer PRIMARY KEY NOT NULL,
	`body` text NOT NULL,
	`received_at` integer NOT NULL
);
