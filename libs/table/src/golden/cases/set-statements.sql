-- SET, a statement set of two inserts, DROP; SHOW TABLES afterwards
CREATE TABLE clicks (
  user_id STRING,
  url STRING,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts
) WITH ('connector' = 'filesystem', 'path' = '${DATA}/clicks.csv', 'format' = 'csv');

SET 'table.exec.state.ttl' = '1 h';

CREATE TABLE sink_a (user_id STRING) WITH ('connector' = 'blackhole');
CREATE TABLE sink_b (url STRING) WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET BEGIN
  INSERT INTO sink_a SELECT user_id FROM clicks;
  INSERT INTO sink_b SELECT url FROM clicks;
END;

DROP TABLE sink_b;

SHOW TABLES;
