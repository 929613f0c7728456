// The e-paper's region editor (admin): regions are polygons in page-relative
// coordinates (0–1) drawn on an SVG over the page image. Select a region to move
// it (drag), redraw it as a rectangle, delete it, or attach it to a story;
// dashed blocks are text the PDF has but no story matched: click one to make it
// a region. Saving posts every region as JSON; the server checks everything.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";

  document.addEventListener("DOMContentLoaded", function () {
    var svg = document.getElementById("region-svg");
    var source = document.getElementById("region-editor-data");
    if (!svg || !source) return;
    var data = JSON.parse(source.textContent);
    var regions = data.regions.map(function (r) { return { article: r.article, points: r.points }; });
    var blocks = data.blocks;
    var titles = {};
    data.stories.forEach(function (s) { titles[s.id] = s.title; });
    var selected = -1, mode = "select", drag = null;

    var select = document.getElementById("region-story");
    var storyId = document.getElementById("region-story-id");
    var panel = document.querySelector(".region-editor__selected");
    var list = document.getElementById("region-list");
    data.stories.forEach(function (s) {
      var option = document.createElement("option");
      option.value = s.id;
      option.textContent = s.title + "（" + s.id + "）";
      select.appendChild(option);
    });

    function point(event) {
      var box = svg.getBoundingClientRect();
      return [clamp((event.clientX - box.left) / box.width), clamp((event.clientY - box.top) / box.height)];
    }
    function clamp(v) { return Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000; }
    function rect(a, b) {
      var l = Math.min(a[0], b[0]), r = Math.max(a[0], b[0]), t = Math.min(a[1], b[1]), d = Math.max(a[1], b[1]);
      return [[l, t], [r, t], [r, d], [l, d]];
    }
    function polygon(points, cls) {
      var shape = document.createElementNS(NS, "polygon");
      shape.setAttribute("points", points.map(function (p) { return p.join(","); }).join(" "));
      shape.setAttribute("class", cls);
      return shape;
    }
    function label(index) {
      var r = regions[index];
      return r.article ? (titles[r.article] || ("稿件 " + r.article)) : "（未指定稿件）";
    }

    function draw() {
      while (svg.firstChild) svg.removeChild(svg.firstChild);
      blocks.forEach(function (block, i) {
        var shape = polygon(block.points, "region region--block");
        shape.dataset.block = i;
        shape.appendChild(document.createElementNS(NS, "title")).textContent = "未对应：" + block.title;
        svg.appendChild(shape);
      });
      regions.forEach(function (r, i) {
        var shape = polygon(r.points, "region" + (i === selected ? " region--selected" : "") + (r.article ? "" : " region--orphan"));
        shape.dataset.region = i;
        shape.appendChild(document.createElementNS(NS, "title")).textContent = label(i);
        svg.appendChild(shape);
      });
      list.innerHTML = "";
      regions.forEach(function (r, i) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "region-list__item" + (i === selected ? " is-selected" : "");
        button.textContent = label(i);
        button.addEventListener("click", function () { choose(i); });
        item.appendChild(button);
        list.appendChild(item);
      });
      panel.hidden = selected < 0;
      document.querySelector("[data-action=redraw]").disabled = selected < 0;
      document.querySelector("[data-action=delete]").disabled = selected < 0;
      if (selected >= 0) {
        var article = regions[selected].article;
        select.value = article && titles[article] ? String(article) : "";
        storyId.value = article || "";
      }
    }
    function choose(i) { selected = i; mode = "select"; draw(); }

    svg.addEventListener("pointerdown", function (event) {
      var start = point(event);
      svg.setPointerCapture(event.pointerId);
      if (mode === "new" || mode === "redraw") {
        drag = { kind: "draw", start: start };
        return;
      }
      var target = event.target;
      if (target.dataset.region !== undefined) {
        choose(Number(target.dataset.region));
        drag = { kind: "move", start: start, original: regions[selected].points.map(function (p) { return p.slice(); }) };
      } else if (target.dataset.block !== undefined) {
        var block = blocks.splice(Number(target.dataset.block), 1)[0];
        regions.push({ article: null, points: block.points });
        choose(regions.length - 1);
      }
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var now = point(event);
      if (drag.kind === "move") {
        var dx = now[0] - drag.start[0], dy = now[1] - drag.start[1];
        var xs = drag.original.map(function (p) { return p[0]; }), ys = drag.original.map(function (p) { return p[1]; });
        dx = Math.min(Math.max(dx, -Math.min.apply(null, xs)), 1 - Math.max.apply(null, xs));
        dy = Math.min(Math.max(dy, -Math.min.apply(null, ys)), 1 - Math.max.apply(null, ys));
        regions[selected].points = drag.original.map(function (p) { return [clamp(p[0] + dx), clamp(p[1] + dy)]; });
        draw();
      } else {
        var preview = svg.querySelector(".region--drawing") || svg.appendChild(polygon([[0, 0], [0, 0], [0, 0]], "region region--drawing"));
        preview.setAttribute("points", rect(drag.start, now).map(function (p) { return p.join(","); }).join(" "));
      }
    });
    svg.addEventListener("pointerup", function (event) {
      if (!drag) return;
      if (drag.kind === "draw") {
        var points = rect(drag.start, point(event));
        if (points[1][0] - points[0][0] > 0.005 && points[2][1] - points[1][1] > 0.005) {
          if (mode === "redraw" && selected >= 0) {
            regions[selected].points = points;
          } else {
            regions.push({ article: null, points: points });
            selected = regions.length - 1;
          }
        }
        mode = "select";
        svg.classList.remove("is-drawing");
      }
      drag = null;
      draw();
    });

    document.querySelector(".region-editor__tools").addEventListener("click", function (event) {
      var action = event.target.dataset.action;
      if (action === "new" || action === "redraw") {
        mode = action;
        svg.classList.add("is-drawing");
      } else if (action === "delete" && selected >= 0) {
        regions.splice(selected, 1);
        selected = -1;
        draw();
      }
    });
    function attach(value) {
      if (selected < 0) return;
      var id = parseInt(value, 10);
      regions[selected].article = id > 0 ? id : null;
      draw();
    }
    select.addEventListener("change", function () { attach(select.value); });
    storyId.addEventListener("change", function () { attach(storyId.value); });

    document.getElementById("region-form").addEventListener("submit", function (event) {
      var orphans = regions.filter(function (r) { return !r.article; }).length;
      if (orphans) {
        event.preventDefault();
        window.alert("有 " + orphans + " 个热区还没有指定稿件：请指定稿件，或删除它。");
        return;
      }
      var byStory = {}, order = [];
      regions.forEach(function (r) {
        if (!byStory[r.article]) { byStory[r.article] = []; order.push(r.article); }
        byStory[r.article].push(r.points);
      });
      data.unplaced.forEach(function (id) {
        if (!byStory[id]) { byStory[id] = []; order.push(id); }
      });
      document.getElementById("region-data").value = JSON.stringify(order.map(function (id) {
        return { article: id, regions: byStory[id] };
      }));
    });
    draw();
  });
})();
