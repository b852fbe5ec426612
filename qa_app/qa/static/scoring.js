// Scoring workspace shortcuts: J/K move between criteria, 1–9 (and 0) choose a value,
// N marks N/A, C jumps to the comment, S saves the draft. Ignored while typing in a field.
(() => {
  const form = document.getElementById("qa-score-form");
  if (!form) return;
  const criteria = Array.from(form.querySelectorAll("[data-criterion]"));
  let index = 0;
  const focus = (i) => {
    if (!criteria.length) return;
    index = Math.max(0, Math.min(criteria.length - 1, i));
    criteria.forEach((c, n) => c.classList.toggle("qa-current", n === index));
    criteria[index].scrollIntoView({ block: "nearest", behavior: "smooth" });
  };
  const radios = () => Array.from(criteria[index].querySelectorAll("input[type=radio]"));
  document.addEventListener("keydown", (event) => {
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "textarea" || (tag === "input" && event.target.type !== "radio") || event.ctrlKey || event.metaKey || event.altKey) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    const key = event.key.toLowerCase();
    if (key === "j") { focus(index + 1); event.preventDefault(); }
    else if (key === "k") { focus(index - 1); event.preventDefault(); }
    else if (/^[0-9]$/.test(key)) {
      const match = radios().find((r) => r.value === key);
      if (match) { match.checked = true; event.preventDefault(); }
    } else if (key === "n") {
      const na = radios().find((r) => r.value === "na");
      if (na) { na.checked = true; event.preventDefault(); }
    } else if (key === "c") {
      const comment = criteria[index].querySelector("textarea");
      if (comment) { comment.focus(); event.preventDefault(); }
    } else if (key === "s") {
      const save = form.querySelector("[data-save]");
      if (save) { save.click(); event.preventDefault(); }
    }
  });
  criteria.forEach((c, n) => c.addEventListener("focusin", () => focus(n)));
  focus(0);
})();
