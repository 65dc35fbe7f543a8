-- fail: line 3, column 17: Function 'count_char' already exists; drop it first (DROP FUNCTION count_char) or write CREATE FUNCTION IF NOT EXISTS.
CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar';
CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar';
