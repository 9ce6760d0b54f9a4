-- Custom migration: keeps household_years (cards per household and year) in step with cards, whoever writes them.
-- Each trigger recomputes the affected (household, year) rows from that household's few cards of the year.
CREATE TRIGGER cards_household_years_insert AFTER INSERT ON cards BEGIN
  DELETE FROM household_years WHERE household_id = NEW.household_id AND year = substr(NEW.visit_date, 1, 4);
  INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
    SELECT NEW.household_id, substr(NEW.visit_date, 1, 4), count(*), coalesce(sum(in_person), 0),
           max(CASE WHEN in_person THEN visit_date END), max(visit_date)
    FROM cards WHERE household_id = NEW.household_id AND substr(visit_date, 1, 4) = substr(NEW.visit_date, 1, 4)
    HAVING count(*) > 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_years_update AFTER UPDATE OF household_id, visit_date, in_person ON cards BEGIN
  DELETE FROM household_years WHERE household_id = OLD.household_id AND year = substr(OLD.visit_date, 1, 4);
  INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
    SELECT OLD.household_id, substr(OLD.visit_date, 1, 4), count(*), coalesce(sum(in_person), 0),
           max(CASE WHEN in_person THEN visit_date END), max(visit_date)
    FROM cards WHERE household_id = OLD.household_id AND substr(visit_date, 1, 4) = substr(OLD.visit_date, 1, 4)
    HAVING count(*) > 0;
  DELETE FROM household_years WHERE household_id = NEW.household_id AND year = substr(NEW.visit_date, 1, 4);
  INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
    SELECT NEW.household_id, substr(NEW.visit_date, 1, 4), count(*), coalesce(sum(in_person), 0),
           max(CASE WHEN in_person THEN visit_date END), max(visit_date)
    FROM cards WHERE household_id = NEW.household_id AND substr(visit_date, 1, 4) = substr(NEW.visit_date, 1, 4)
    HAVING count(*) > 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_years_delete AFTER DELETE ON cards BEGIN
  DELETE FROM household_years WHERE household_id = OLD.household_id AND year = substr(OLD.visit_date, 1, 4);
  INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
    SELECT OLD.household_id, substr(OLD.visit_date, 1, 4), count(*), coalesce(sum(in_person), 0),
           max(CASE WHEN in_person THEN visit_date END), max(visit_date)
    FROM cards WHERE household_id = OLD.household_id AND substr(visit_date, 1, 4) = substr(OLD.visit_date, 1, 4)
    HAVING count(*) > 0;
END;--> statement-breakpoint
INSERT INTO household_years (household_id, year, cards, in_person, last_in_person, last_visit)
  SELECT household_id, substr(visit_date, 1, 4), count(*), coalesce(sum(in_person), 0),
         max(CASE WHEN in_person THEN visit_date END), max(visit_date)
  FROM cards GROUP BY household_id, substr(visit_date, 1, 4);
