// Live Markdown preview for the lesson editor. Without JavaScript the "Preview" button does it.
(function () {
  const form = document.querySelector("form[data-preview-url]");
  if (!form) return;
  const url = form.getAttribute("data-preview-url");
  const token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  form.querySelectorAll("textarea[data-preview]").forEach((area) => {
    const target = document.getElementById(area.getAttribute("data-preview"));
    let timer = null;
    const render = async () => {
      const body = new URLSearchParams({ text: area.value });
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
          body,
        });
        if (response.ok) {
          // the server returns sanitised HTML (qa_app.rendering.render_markdown)
          target.innerHTML = (await response.json()).html;
        }
      } catch (error) {
        /* offline: keep the last preview */
      }
    };
    area.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    render();
  });
})();
