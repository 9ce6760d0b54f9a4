-- Custom migration: keeps household_days (cards per household and day) in step with cards, whoever writes them.
-- Each trigger recounts the affected (household, day) rows from that household's cards of the day (an index range).
CREATE TRIGGER cards_household_days_insert AFTER INSERT ON cards BEGIN
  DELETE FROM household_days WHERE household_id = NEW.household_id AND day = NEW.visit_date;
  INSERT INTO household_days (household_id, day, cards, in_person)
    SELECT NEW.household_id, NEW.visit_date, count(*), coalesce(sum(in_person), 0)
    FROM cards WHERE household_id = NEW.household_id AND visit_date = NEW.visit_date
    HAVING count(*) > 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_days_update AFTER UPDATE OF household_id, visit_date, in_person ON cards BEGIN
  DELETE FROM household_days WHERE household_id = OLD.household_id AND day = OLD.visit_date;
  INSERT INTO household_days (household_id, day, cards, in_person)
    SELECT OLD.household_id, OLD.visit_date, count(*), coalesce(sum(in_person), 0)
    FROM cards WHERE household_id = OLD.household_id AND visit_date = OLD.visit_date
    HAVING count(*) > 0;
  DELETE FROM household_days WHERE household_id = NEW.household_id AND day = NEW.visit_date;
  INSERT INTO household_days (household_id, day, cards, in_person)
    SELECT NEW.household_id, NEW.visit_date, count(*), coalesce(sum(in_person), 0)
    FROM cards WHERE household_id = NEW.household_id AND visit_date = NEW.visit_date
    HAVING count(*) > 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_days_delete AFTER DELETE ON cards BEGIN
  DELETE FROM household_days WHERE household_id = OLD.household_id AND day = OLD.visit_date;
  INSERT INTO household_days (household_id, day, cards, in_person)
    SELECT OLD.household_id, OLD.visit_date, count(*), coalesce(sum(in_person), 0)
    FROM cards WHERE household_id = OLD.household_id AND visit_date = OLD.visit_date
    HAVING count(*) > 0;
END;--> statement-breakpoint
INSERT INTO household_days (household_id, day, cards, in_person)
  SELECT household_id, visit_date, count(*), coalesce(sum(in_person), 0) FROM cards GROUP BY household_id, visit_date;
