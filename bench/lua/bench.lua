-- The Lua benchmark's script: ordinary Lua code of several kinds, run by the
-- Lua interpreter compiled to wasm32 (bench/lua/driver.c). N scales the work.
-- Returns an integer checksum; everything printed is hashed too. Deterministic:
-- seeded random numbers, sorted keys wherever output depends on order.

math.randomseed(42)
local N = N or 1
local checksum = 0
local function mix(v)
  checksum = (checksum * 31 + v) & 0xffffffffffff
end

-- 1. JSON: encode generated records, decode them back, compare.
local json = {}
do
  local escapes = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t' }
  local function encode(v, out)
    local t = type(v)
    if t == "table" then
      if #v > 0 or next(v) == nil then
        out[#out + 1] = "["
        for i = 1, #v do
          if i > 1 then out[#out + 1] = "," end
          encode(v[i], out)
        end
        out[#out + 1] = "]"
      else
        local keys = {}
        for k in pairs(v) do keys[#keys + 1] = k end
        table.sort(keys)
        out[#out + 1] = "{"
        for i, k in ipairs(keys) do
          if i > 1 then out[#out + 1] = "," end
          out[#out + 1] = string.format("%q:", k)
          encode(v[k], out)
        end
        out[#out + 1] = "}"
      end
    elseif t == "string" then
      out[#out + 1] = '"' .. v:gsub('[%c"\\]', escapes) .. '"'
    elseif math.type(v) == "integer" then
      out[#out + 1] = tostring(v)
    elseif t == "number" then
      out[#out + 1] = string.format("%.17g", v)
    else
      out[#out + 1] = tostring(v)
    end
  end
  function json.encode(v)
    local out = {}
    encode(v, out)
    return table.concat(out)
  end

  local unescape = { n = "\n", t = "\t", ['"'] = '"', ["\\"] = "\\" }
  function json.decode(s)
    local pos = 1
    local value
    local function skip() pos = s:find("[^ \n\t]", pos) or #s + 1 end
    local function str()
      local parts, start = {}, pos + 1
      while true do
        local stop = s:find('["\\]', start)
        parts[#parts + 1] = s:sub(start, stop - 1)
        if s:sub(stop, stop) == '"' then pos = stop + 1; break end
        parts[#parts + 1] = unescape[s:sub(stop + 1, stop + 1)]
        start = stop + 2
      end
      return table.concat(parts)
    end
    function value()
      skip()
      local c = s:sub(pos, pos)
      if c == "{" then
        local obj = {}
        pos = pos + 1; skip()
        if s:sub(pos, pos) == "}" then pos = pos + 1; return obj end
        repeat
          skip()
          local k = str(); skip()
          pos = pos + 1 -- ':'
          obj[k] = value(); skip()
          c = s:sub(pos, pos); pos = pos + 1
        until c == "}"
        return obj
      elseif c == "[" then
        local arr = {}
        pos = pos + 1; skip()
        if s:sub(pos, pos) == "]" then pos = pos + 1; return arr end
        repeat
          arr[#arr + 1] = value(); skip()
          c = s:sub(pos, pos); pos = pos + 1
        until c == "]"
        return arr
      elseif c == '"' then
        return str()
      elseif s:find("^true", pos) then pos = pos + 4; return true
      elseif s:find("^false", pos) then pos = pos + 5; return false
      else
        local num = s:match("^-?[%d.eE+-]+", pos)
        pos = pos + #num
        return math.tointeger(tonumber(num)) or tonumber(num)
      end
    end
    return value()
  end
end

local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
  "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau" }
local function record(i)
  local tags = {}
  for j = 1, math.random(1, 5) do tags[j] = words[math.random(#words)] end
  return {
    id = i, name = words[i % #words + 1] .. "-" .. i, score = math.random() * 100,
    active = i % 3 == 0, tags = tags, note = "line\t" .. i .. "\n\"quoted\"",
  }
end
for round = 1, N do
  local records = {}
  for i = 1, 60 do records[i] = record(i + round) end
  local text = json.encode(records)
  local back = json.decode(text)
  assert(json.encode(back) == text, "json round trip")
  mix(#text)
  for _, r in ipairs(back) do mix(r.id + #r.tags + (r.active and 1 or 0)) end
end

-- 2. Word frequencies over generated text: gmatch, tables, sort with a comparator.
do
  local parts = {}
  for i = 1, 400 * N do
    parts[i] = words[(i * i + 7 * i) % #words + 1]
    if i % 11 == 0 then parts[i] = parts[i]:upper() .. "," end
  end
  local text = table.concat(parts, " ")
  local counts = {}
  for word in text:gmatch("%a+") do
    word = word:lower()
    counts[word] = (counts[word] or 0) + 1
  end
  local list = {}
  for word, count in pairs(counts) do list[#list + 1] = { word = word, count = count } end
  table.sort(list, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    return a.word < b.word
  end)
  for rank, entry in ipairs(list) do
    print(string.format("%2d %-8s %d", rank, entry.word, entry.count))
    mix(rank * entry.count)
  end
end

-- 3. Objects: a binary heap class driving Dijkstra on a random graph.
local Heap = {}
Heap.__index = Heap
function Heap.new(less) return setmetatable({ n = 0, less = less }, Heap) end
function Heap:push(v)
  local n = self.n + 1
  self.n = n
  self[n] = v
  while n > 1 do
    local parent = n // 2
    if not self.less(self[n], self[parent]) then break end
    self[n], self[parent] = self[parent], self[n]
    n = parent
  end
end
function Heap:pop()
  local top, n = self[1], self.n
  self[1], self[n] = self[n], nil
  n = n - 1
  self.n = n
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= n and self.less(self[l], self[m]) then m = l end
    if r <= n and self.less(self[r], self[m]) then m = r end
    if m == i then break end
    self[i], self[m] = self[m], self[i]
    i = m
  end
  return top
end

do
  local nodes = 200 * N
  local edges = {}
  for v = 1, nodes do
    local out = {}
    for _ = 1, 4 do out[#out + 1] = { to = math.random(nodes), w = math.random(1, 50) } end
    if v < nodes then out[#out + 1] = { to = v + 1, w = 60 } end
    edges[v] = out
  end
  local dist = { [1] = 0 }
  local heap = Heap.new(function(a, b) return a[1] < b[1] end)
  heap:push({ 0, 1 })
  while heap.n > 0 do
    local d, v = table.unpack(heap:pop())
    if d == dist[v] then
      for _, e in ipairs(edges[v]) do
        local nd = d + e.w
        if dist[e.to] == nil or nd < dist[e.to] then
          dist[e.to] = nd
          heap:push({ nd, e.to })
        end
      end
    end
  end
  local total = 0
  for v = 1, nodes do total = total + (dist[v] or 0) end
  mix(total)
end

-- 4. Closures and higher-order functions; floating point printed with format.
do
  local function map(f, t) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
  local function filter(p, t) local r = {} for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end return r end
  local function fold(f, acc, t) for i = 1, #t do acc = f(acc, t[i]) end return acc end
  local function counter() local c = 0 return function() c = c + 1 return c end end
  local next_id = counter()
  local xs = {}
  for i = 1, 3000 * N do xs[i] = next_id() end
  local ys = map(function(x) return math.sin(x) * math.sqrt(x) end, xs)
  local pos = filter(function(y) return y > 0 end, ys)
  local sum = fold(function(a, b) return a + b end, 0, pos)
  print(string.format("%.6f %d", sum, #pos))
  mix(#pos)
end

-- 5. A tiny stack-machine compiler: parse arithmetic text, compile, run.
do
  local function compile(src)
    local code, pos = {}, 1
    local expr
    local function peek() return src:match("^%s*(.)", pos) end
    local function take() local _, e, c = src:find("^%s*(.)", pos) pos = e + 1 return c end
    local function primary()
      if peek() == "(" then take() expr() take() return end
      local _, e, digits = src:find("^%s*(%d+)", pos)
      pos = e + 1
      code[#code + 1] = tonumber(digits)
    end
    local function term()
      primary()
      while peek() == "*" or peek() == "%" do
        local op = take() primary() code[#code + 1] = op
      end
    end
    function expr()
      term()
      while peek() == "+" or peek() == "-" do
        local op = take() term() code[#code + 1] = op
      end
    end
    expr()
    return code
  end
  local ops = {
    ["+"] = function(a, b) return a + b end, ["-"] = function(a, b) return a - b end,
    ["*"] = function(a, b) return a * b end, ["%"] = function(a, b) return b == 0 and a or a % b end,
  }
  local function execute(code)
    local stack, sp = {}, 0
    for i = 1, #code do
      local c = code[i]
      if type(c) == "number" then sp = sp + 1 stack[sp] = c
      else stack[sp - 1] = ops[c](stack[sp - 1], stack[sp]) & 0xffffff sp = sp - 1 end
    end
    return stack[1]
  end
  local function gen(depth)
    if depth == 0 or math.random() < 0.2 then return tostring(math.random(0, 999)) end
    local op = ({ "+", "-", "*", "%" })[math.random(4)]
    return "(" .. gen(depth - 1) .. " " .. op .. " " .. gen(depth - 1) .. ")"
  end
  for _ = 1, 40 * N do
    local code = compile(gen(7))
    mix(execute(code))
  end
end

-- 6. utf8 and string packing.
do
  local s = {}
  for i = 1, 500 * N do s[#s + 1] = utf8.char(0x3b1 + i % 24, 0x41 + i % 26) end
  local text = table.concat(s)
  local n = 0
  for _, c in utf8.codes(text) do n = n + c end
  mix(n & 0xffffff)
  mix(utf8.len(text))
  local packed = string.pack("<i4i8d", N, n, 1.5)
  mix(#packed + select(2, string.unpack("<i4i8d", packed)) % 1000)
end

print("checksum", checksum)
return checksum
