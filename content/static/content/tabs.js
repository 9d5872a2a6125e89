// A group's tabs scroll sideways on a phone: bring the current one into view.
const current = document.querySelector(".cohort-nav [aria-current]");
if (current) current.scrollIntoView({ block: "nearest", inline: "center" });
