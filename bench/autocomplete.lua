-- wrk script: each request asks one query of bench/queries.txt, in turn.
local queries = {}
for line in io.lines(os.getenv("EMJPM_BENCH_QUERIES") or "bench/queries.txt") do
  if #line > 0 then
    local encoded = line:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)
    table.insert(queries, "/api/autocomplete/communes?q=" .. encoded)
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
