// Mentions: typing @ and a name in a post's text box opens a list of the
// people of the space whose names hold it; choosing one writes @[Name](id),
// which the post keeps as the person's id. Without script nothing opens and
// the text is posted as typed.
document.querySelectorAll("textarea[data-mentions]").forEach((box) => {
  if (box.dataset.mentionsReady) return;
  box.dataset.mentionsReady = "1";
  const list = document.createElement("ul");
  list.id = `${box.id}-people`;
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", box.dataset.mentionsLabel);
  list.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  box.after(list, status);
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);

  let people = [];
  let active = -1;
  let asked = 0;
  let timer = null;

  // The @ and the name being typed, just before the cursor.
  const typed = () => {
    const before = box.value.slice(0, box.selectionStart);
    const found = before.match(/(^|\s)@([^\s@[\]()]{1,50})$/u);
    return found ? found[2] : null;
  };

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    people = [];
    active = -1;
    box.removeAttribute("aria-activedescendant");
  };

  const highlight = (index) => {
    active = index;
    list.querySelectorAll("li").forEach((option, at) => {
      option.setAttribute("aria-selected", at === index ? "true" : "false");
    });
    if (index >= 0) box.setAttribute("aria-activedescendant", `${list.id}-${index}`);
  };

  const choose = (index) => {
    const person = people[index];
    const name = typed();
    if (!person || name === null) return close();
    const end = box.selectionStart;
    const start = end - name.length - 1;
    const mention = `@[${person.name.replace(/[[\]\n]/g, "")}](${person.id}) `;
    box.setRangeText(mention, start, end, "end");
    close();
    box.focus();
  };

  const show = (found) => {
    people = found;
    list.replaceChildren();
    found.forEach((person, index) => {
      const option = document.createElement("li");
      option.id = `${list.id}-${index}`;
      option.setAttribute("role", "option");
      option.textContent = person.name;
      // Keep the text box focused: the choice is made on click.
      option.addEventListener("mousedown", (event) => event.preventDefault());
      option.addEventListener("click", () => choose(index));
      list.append(option);
    });
    list.hidden = found.length === 0;
    status.textContent = found.length
      ? box.dataset.mentionsFound.replace("%(count)s", found.length)
      : box.dataset.mentionsNone;
    highlight(found.length ? 0 : -1);
  };

  const ask = async (name) => {
    const mine = ++asked;
    const url = `${box.dataset.mentions}?q=${encodeURIComponent(name)}`;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      const answer = response.ok ? await response.json() : { people: [] };
      if (mine === asked && typed() === name) show(answer.people);
    } catch {
      close();
    }
  };

  box.addEventListener("input", () => {
    clearTimeout(timer);
    const name = typed();
    if (name === null) return close();
    timer = setTimeout(() => ask(name), 150);
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden || !people.length) return;
    if (event.key === "ArrowDown") {
      highlight((active + 1) % people.length);
    } else if (event.key === "ArrowUp") {
      highlight((active - 1 + people.length) % people.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      choose(active);
    } else if (event.key === "Escape") {
      close();
    } else {
      return;
    }
    event.preventDefault();
  });
  box.addEventListener("blur", close);
});
