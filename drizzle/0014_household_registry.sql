CREATE TABLE `household_registry` (
	`household_id` integer PRIMARY KEY NOT NULL,
	`facts` text NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `households`(`id`) ON UPDATE no action ON DELETE no action
);
