-- Custom migration: keeps household_failures (failed guarantee items on each household's latest card, as a bit mask in
-- GUARANTEE_ITEMS order) in step with cards, whoever writes them. Each trigger recomputes the affected households'
-- masks from their cards of the latest day (cards_household_guarantees holds the six items: no answers read).
-- The item fields and the failed value are those of src/core/visits/guarantees.ts.
CREATE TRIGGER cards_household_failures_insert AFTER INSERT ON cards BEGIN
  DELETE FROM household_failures WHERE household_id = NEW.household_id;
  INSERT INTO household_failures (household_id, mask)
    SELECT NEW.household_id, (max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)
    FROM cards INDEXED BY cards_household_guarantees
    WHERE household_id = NEW.household_id AND visit_date = (SELECT max(visit_date) FROM cards WHERE household_id = NEW.household_id)
    HAVING count(*) > 0 AND ((max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)) != 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_failures_update AFTER UPDATE OF household_id, visit_date, answers ON cards BEGIN
  DELETE FROM household_failures WHERE household_id = OLD.household_id;
  INSERT INTO household_failures (household_id, mask)
    SELECT OLD.household_id, (max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)
    FROM cards INDEXED BY cards_household_guarantees
    WHERE household_id = OLD.household_id AND visit_date = (SELECT max(visit_date) FROM cards WHERE household_id = OLD.household_id)
    HAVING count(*) > 0 AND ((max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)) != 0;
  DELETE FROM household_failures WHERE household_id = NEW.household_id;
  INSERT INTO household_failures (household_id, mask)
    SELECT NEW.household_id, (max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)
    FROM cards INDEXED BY cards_household_guarantees
    WHERE household_id = NEW.household_id AND visit_date = (SELECT max(visit_date) FROM cards WHERE household_id = NEW.household_id)
    HAVING count(*) > 0 AND ((max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)) != 0;
END;--> statement-breakpoint
CREATE TRIGGER cards_household_failures_delete AFTER DELETE ON cards BEGIN
  DELETE FROM household_failures WHERE household_id = OLD.household_id;
  INSERT INTO household_failures (household_id, mask)
    SELECT OLD.household_id, (max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)
    FROM cards INDEXED BY cards_household_guarantees
    WHERE household_id = OLD.household_id AND visit_date = (SELECT max(visit_date) FROM cards WHERE household_id = OLD.household_id)
    HAVING count(*) > 0 AND ((max(coalesce(answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(answers ->> '$.water_status' = '不达标', 0)) * 32)) != 0;
END;--> statement-breakpoint
INSERT INTO household_failures (household_id, mask)
  SELECT c.household_id, (max(coalesce(c.answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(c.answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(c.answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(c.answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(c.answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(c.answers ->> '$.water_status' = '不达标', 0)) * 32)
  FROM (SELECT household_id, max(visit_date) AS d FROM cards GROUP BY household_id) l
  CROSS JOIN cards c INDEXED BY cards_household_guarantees ON c.household_id = l.household_id AND c.visit_date = l.d
  GROUP BY c.household_id
  HAVING ((max(coalesce(c.answers ->> '$.food_status' = '不达标', 0)) * 1) | (max(coalesce(c.answers ->> '$.clothing_status' = '不达标', 0)) * 2) | (max(coalesce(c.answers ->> '$.education_status' = '不达标', 0)) * 4) | (max(coalesce(c.answers ->> '$.medical_status' = '不达标', 0)) * 8) | (max(coalesce(c.answers ->> '$.housing_status' = '不达标', 0)) * 16) | (max(coalesce(c.answers ->> '$.water_status' = '不达标', 0)) * 32)) != 0;
