ALTER TABLE `card_flags` ADD `revision` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `card_flags` ADD `resolution` text;--> statement-breakpoint
ALTER TABLE `card_flags` ADD `resolved_by` integer;--> statement-breakpoint
ALTER TABLE `card_flags` ADD `note` text;--> statement-breakpoint
CREATE INDEX `flags_card` ON `card_flags` (`card_id`,`revision`);