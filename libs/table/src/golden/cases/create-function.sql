-- CREATE FUNCTION name AS '<identifier>': the identifier names an implementation given to the
-- table environment (functionClasses; the golden runner provides Nexmark's CountChar)
CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar';

CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS count_char AS 'com.github.nexmark.flink.udf.CountChar' LANGUAGE JAVA;

SHOW FUNCTIONS;

SELECT s, count_char(s, 'c') AS c FROM (VALUES ('cocoa'), ('tea'), (CAST(NULL AS STRING))) AS t (s);

DROP FUNCTION count_char;

DROP TEMPORARY SYSTEM FUNCTION IF EXISTS count_char;

SHOW FUNCTIONS;
