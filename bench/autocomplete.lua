-- wrk script: each request asks one query of EMJPM_BENCH_QUERIES (bench/queries.txt by default), in turn, of the
-- autocomplete EMJPM_BENCH_KIND (communes by default).
local kind = os.getenv("EMJPM_BENCH_KIND") or "communes"
local queries = {}
for line in io.lines(os.getenv("EMJPM_BENCH_QUERIES") or "bench/queries.txt") do
  if #line > 0 then
    local encoded = line:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)
    table.insert(queries, "/api/autocomplete/" .. kind .. "?q=" .. encoded)
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
