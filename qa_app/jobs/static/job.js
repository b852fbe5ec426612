// Job page: refresh status and progress while the job runs; when it ends, reload the page,
// which the server renders with the counts, the rejected lines and the unknown nicknames.
document.querySelectorAll("[data-job-poll]").forEach((box) => {
  const url = box.getAttribute("data-job-poll");
  const ended = (status) => status === "done" || status === "failed";
  if (ended(box.getAttribute("data-job-state"))) return;
  const set = (sel, fn) => { const el = box.querySelector(sel); if (el) fn(el); };
  const tick = async () => {
    let job;
    try {
      job = await (await fetch(url, { headers: { Accept: "application/json" } })).json();
    } catch (error) {
      setTimeout(tick, 3000);
      return;
    }
    if (ended(job.status)) {
      window.location.reload();
      return;
    }
    set("[data-job-status]", (el) => { el.textContent = job.status_label; });
    set("[data-job-progress]", (el) => { el.value = job.percent || 0; });
    set("[data-job-counts]", (el) => { el.textContent = job.progress_text; });
    setTimeout(tick, 1000);
  };
  tick();
});
