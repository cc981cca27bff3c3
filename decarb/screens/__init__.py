"""What each page shows, as pure functions of the dataset and the view (no Streamlit): one module per page in
pages/, with the same name. The pages only lay these out; the slides of presentation mode (decarb.briefing.slides) call
the same functions as the pages they summarise, so a slide and its page cannot disagree."""
