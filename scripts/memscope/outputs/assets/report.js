/* report.js: the behaviour of memscope's HTML report: charts (dygraphs
   for the timeline, Chart.js for bars), sortable and filterable tables,
   flame-graph zoom.  It reads only the page's own JSON data; strings from
   the client program reach the page as text nodes or canvas drawings,
   never as HTML.  Errors are counted on <body data-errors> so that a test
   (or a curious user) can see that everything rendered. */
(function () {
  "use strict";
  var errors = [];
  function noteError(message) {
    errors.push(String(message));
    document.body.setAttribute("data-errors", String(errors.length));
    var list = document.getElementById("js-errors");
    if (!list) {
      list = document.createElement("pre");
      list.id = "js-errors";
      document.body.appendChild(list);
    }
    list.textContent = errors.join("\n");
  }
  window.addEventListener("error", function (e) { noteError(e.message); });
  var originalError = console.error;
  console.error = function () {
    noteError(Array.prototype.join.call(arguments, " "));
    originalError.apply(console, arguments);
  };
  document.body.setAttribute("data-errors", "0");

  var data = JSON.parse(document.getElementById("memscope-data").textContent);

  function formatBytes(n) {
    var units = ["B", "KiB", "MiB", "GiB", "TiB"], i = 0;
    while (Math.abs(n) >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n.toFixed(0) : n.toFixed(1)) + " " + units[i];
  }

  function guarded(name, fn) {
    try { fn(); } catch (e) { noteError(name + ": " + e); }
  }

  /* Timeline: dygraphs gets numbers and "#N" labels only; the thread
     names go into a legend of text nodes. */
  guarded("timeline", function () {
    var el = document.getElementById("timeline-chart");
    var tl = data.timeline, rows = [], i, j;
    for (i = 0; i < tl.total.length; i++) {
      var row = [i * tl.width, tl.total[i]];
      for (j = 0; j < tl.threads.length; j++) {
        var v = tl.threads[j].live[i];
        row.push(v === undefined ? 0 : v);
      }
      rows.push(row);
    }
    if (rows.length === 1) {
      var copy = rows[0].slice();
      copy[0] += tl.width;
      rows.push(copy);
    }
    var labels = ["instructions", "total"];
    for (j = 0; j < tl.threads.length; j++) labels.push("#" + tl.threads[j].id);
    new Dygraph(el, rows, {
      labels: labels, xlabel: "instructions", ylabel: "live bytes",
      labelsKMG2: true, legend: "follow", animatedZooms: false,
      strokeWidth: 1.5, series: { total: { strokeWidth: 2.5 } }
    });
    var legend = document.getElementById("timeline-legend");
    for (j = 0; j < tl.threads.length; j++) {
      var item = document.createElement("span");
      item.textContent = "#" + tl.threads[j].id + " = " + tl.threads[j].label;
      legend.appendChild(item);
    }
    el.setAttribute("data-rendered", "yes");
  });

  function barChart(id, labels, datasets, horizontal, axisTitle) {
    var canvas = document.getElementById(id);
    if (labels.length === 0) {
      var empty = document.createElement("p");
      empty.className = "note";
      empty.textContent = "nothing recorded";
      canvas.parentNode.replaceChild(empty, canvas);
      empty.parentNode.setAttribute("data-rendered", "yes");
      return;
    }
    var scales = {};
    scales[horizontal ? "x" : "y"] = { beginAtZero: true,
      title: { display: !!axisTitle, text: axisTitle || "" } };
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: { animation: false, responsive: true,
                 indexAxis: horizontal ? "y" : "x", scales: scales,
                 plugins: { legend: { display: datasets.length > 1 } } }
    });
    canvas.parentNode.setAttribute("data-rendered", "yes");
  }

  guarded("threads", function () {
    barChart("threads-chart",
      data.threads.map(function (t) { return t.label; }),
      [{ label: "work (instructions)",
         data: data.threads.map(function (t) { return t.work; }),
         backgroundColor: "#4e79a7" }], false, "instructions");
  });
  guarded("types", function () {
    barChart("types-chart",
      data.types.map(function (t) { return t[0]; }),
      [{ label: "bytes", data: data.types.map(function (t) { return t[1]; }),
         backgroundColor: "#59a14f" }], true, "bytes");
  });
  guarded("sites", function () {
    barChart("sites-chart",
      data.sites.map(function (s) { return s[0]; }),
      [{ label: "bytes", data: data.sites.map(function (s) { return s[1]; }),
         backgroundColor: "#f28e2b" }], true, "bytes");
  });

  /* Tables: click a heading to sort, type to filter. */
  guarded("tables", function () {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"),
      function (table) {
        var heads = table.querySelectorAll("thead th");
        Array.prototype.forEach.call(heads, function (th, col) {
          th.addEventListener("click", function () {
            var numeric = th.getAttribute("data-numeric") === "1";
            var asc = th.getAttribute("data-sort") !== "asc";
            Array.prototype.forEach.call(heads, function (h) {
              h.removeAttribute("data-sort");
            });
            th.setAttribute("data-sort", asc ? "asc" : "desc");
            var body = table.tBodies[0];
            var rows = Array.prototype.slice.call(body.rows);
            rows.sort(function (a, b) {
              var x, y;
              if (numeric) {
                x = parseFloat(a.cells[col].getAttribute("data-v"));
                y = parseFloat(b.cells[col].getAttribute("data-v"));
                x = isNaN(x) ? -Infinity : x;
                y = isNaN(y) ? -Infinity : y;
              } else {
                x = a.cells[col].textContent;
                y = b.cells[col].textContent;
              }
              return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
            });
            rows.forEach(function (r) { body.appendChild(r); });
          });
        });
      });
    Array.prototype.forEach.call(document.querySelectorAll("input.filter"),
      function (input) {
        input.addEventListener("input", function () {
          var table = document.getElementById(input.getAttribute("data-table"));
          var needle = input.value.toLowerCase();
          Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
            r.style.display =
              r.textContent.toLowerCase().indexOf(needle) >= 0 ? "" : "none";
          });
        });
      });
  });

  /* Flame graph: frames carry their left edge and width as fractions of
     all bytes; zooming re-lays them out relative to the clicked frame. */
  guarded("flame", function () {
    var svg = document.getElementById("flame-graph");
    var frames = Array.prototype.slice.call(svg.querySelectorAll("g.frame"));
    var names = frames.map(function (g) {
      return g.querySelector("text").textContent;
    });
    function layout(left, width) {
      var total = svg.getBoundingClientRect().width || 1000;
      frames.forEach(function (g, i) {
        var l = parseFloat(g.getAttribute("data-l"));
        var w = parseFloat(g.getAttribute("data-w"));
        var x = (l - left) / width * total, px = w / width * total;
        var inside = l + w > left + 1e-9 && l < left + width - 1e-9;
        g.style.display = inside && px >= 0.5 ? "" : "none";
        var rect = g.querySelector("rect"), text = g.querySelector("text");
        rect.setAttribute("x", Math.max(0, x).toFixed(1));
        rect.setAttribute("width", Math.max(0, px - 1).toFixed(1));
        text.setAttribute("x", (Math.max(0, x) + 3).toFixed(1));
        var room = Math.floor((px - 6) / 7);
        text.textContent = room < 3 ? "" : (names[i].length <= room ?
          names[i] : names[i].slice(0, room - 1) + "\u2026");
      });
    }
    frames.forEach(function (g) {
      g.addEventListener("click", function () {
        layout(parseFloat(g.getAttribute("data-l")),
               parseFloat(g.getAttribute("data-w")) || 1);
      });
    });
    layout(0, 1);
    window.addEventListener("resize", function () { layout(0, 1); });
    svg.parentNode.setAttribute("data-rendered", "yes");
  });

  document.body.setAttribute("data-ready", "yes");
})();
