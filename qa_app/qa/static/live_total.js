// The total of the score form as the grader chooses values, before any save. The same formula as
// qa_app/qa/scoring.py (docs/qa.md): 100 × Σ wᵢ·fᵢ / Σ wᵢ over answered, non-N/A criteria; a
// critical criterion at 0 makes the score 0; nothing answered gives "—". The server recomputes
// on save, so this is only a preview; it lives in a file because the CSP forbids inline scripts.
(() => {
  const form = document.getElementById("qa-score-form");
  const out = document.querySelector("[data-live-total]");
  if (!form || !out) return;
  const fraction = (scale, max, v) => {
    if (scale === "yes_no") return v;
    if (scale === "1-3") return (v - 1) / 2;
    if (scale === "1-5") return (v - 1) / 4;
    return max > 0 ? v / max : 0;
  };
  const recompute = () => {
    let earned = 0, possible = 0, critical = false;
    form.querySelectorAll("[data-criterion][data-scale]").forEach((c) => {
      const chosen = c.querySelector("input[type=radio]:checked");
      if (!chosen || chosen.value === "" || chosen.value === "na") return;
      const weight = parseFloat(c.dataset.weight);
      const f = fraction(c.dataset.scale, parseFloat(c.dataset.max || "0"), parseFloat(chosen.value));
      earned += weight * f;
      possible += weight;
      if (c.dataset.critical === "1" && f === 0) critical = true;
    });
    if (possible === 0) out.textContent = "—";
    else if (critical) out.textContent = "0.0 · " + out.dataset.criticalLabel;
    else out.textContent = (Math.round(10000 * earned / possible) / 100).toFixed(1);
  };
  form.addEventListener("change", recompute);
  recompute();
})();
