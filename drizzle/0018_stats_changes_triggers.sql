-- Custom migration: stats_changes (see src/db/schema.ts) written by triggers wherever the rows /stats reads are
-- written, so the stats snapshot refreshes only what changed. Updates are logged only for the columns /stats reads
-- (a draft's answers, a person's language or Telegram id log nothing; a person's name does: the by-helper labels). The oldest rows are pruned every 1,000 rows,
-- keeping the last 100,000: a reader further behind than that reloads everything.
CREATE TRIGGER stats_changes_cards_insert AFTER INSERT ON cards BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('helper', NEW.helper_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_cards_update AFTER UPDATE OF household_id, helper_id, visit_date, in_person ON cards BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('helper', OLD.helper_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('helper', NEW.helper_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_cards_delete AFTER DELETE ON cards BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('helper', OLD.helper_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_drafts_insert AFTER INSERT ON card_drafts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_drafts_update AFTER UPDATE OF household_id, status, revise_card_id, started_at ON card_drafts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_drafts_delete AFTER DELETE ON card_drafts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_flags_insert AFTER INSERT ON card_flags BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_flags_update AFTER UPDATE OF household_id, resolved_at, code ON card_flags BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_flags_delete AFTER DELETE ON card_flags BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_household_failures_insert AFTER INSERT ON household_failures BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_household_failures_update AFTER UPDATE OF household_id, mask ON household_failures BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('household', NEW.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_household_failures_delete AFTER DELETE ON household_failures BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('household', OLD.household_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_reviews_insert AFTER INSERT ON card_reviews BEGIN
  INSERT INTO stats_changes (kind, ref) SELECT 'household', household_id FROM cards WHERE id = NEW.card_id;
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_reviews_update AFTER UPDATE OF card_id, status ON card_reviews BEGIN
  INSERT INTO stats_changes (kind, ref) SELECT 'household', household_id FROM cards WHERE id = OLD.card_id;
  INSERT INTO stats_changes (kind, ref) SELECT 'household', household_id FROM cards WHERE id = NEW.card_id;
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_card_reviews_delete AFTER DELETE ON card_reviews BEGIN
  INSERT INTO stats_changes (kind, ref) SELECT 'household', household_id FROM cards WHERE id = OLD.card_id;
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_pushes_insert AFTER INSERT ON quiz_pushes BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_pushes_update AFTER UPDATE OF created_at, questions ON quiz_pushes BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.id);
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_pushes_delete AFTER DELETE ON quiz_pushes BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_deliveries_insert AFTER INSERT ON quiz_deliveries BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_deliveries_update AFTER UPDATE OF push_id, person_id ON quiz_deliveries BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.push_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_deliveries_delete AFTER DELETE ON quiz_deliveries BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_attempts_insert AFTER INSERT ON quiz_attempts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_attempts_update AFTER UPDATE OF push_id, person_id, finished_at, correct_count ON quiz_attempts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.push_id);
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', NEW.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_quiz_attempts_delete AFTER DELETE ON quiz_attempts BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('quiz', OLD.push_id);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_households_insert AFTER INSERT ON households BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_households_update AFTER UPDATE OF village_id ON households BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_households_delete AFTER DELETE ON households BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_villages_insert AFTER INSERT ON villages BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_villages_update AFTER UPDATE OF town_id ON villages BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_villages_delete AFTER DELETE ON villages BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_units_insert AFTER INSERT ON units BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_units_update AFTER UPDATE OF town_id ON units BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_units_delete AFTER DELETE ON units BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_people_insert AFTER INSERT ON people BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_people_update AFTER UPDATE OF unit_id, revoked_at, name ON people BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_people_delete AFTER DELETE ON people BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_person_roles_insert AFTER INSERT ON person_roles BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_person_roles_update AFTER UPDATE OF person_id, role ON person_roles BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_person_roles_delete AFTER DELETE ON person_roles BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_pairings_insert AFTER INSERT ON pairings BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_pairings_update AFTER UPDATE OF helper_id, household_id, end_date ON pairings BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_pairings_delete AFTER DELETE ON pairings BEGIN
  INSERT INTO stats_changes (kind, ref) VALUES ('all', NULL);
END;--> statement-breakpoint
CREATE TRIGGER stats_changes_prune AFTER INSERT ON stats_changes WHEN NEW.seq % 1000 = 0 BEGIN
  DELETE FROM stats_changes WHERE seq <= NEW.seq - 100000;
END;
